/** Every queue and job name, with its payload type, in one place. */
export const QueueName = {
  MAIL: 'mail',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  SEND_EMAIL: 'send-email',
} as const;

export interface SendEmailPayload {
  /** Row in outbound_emails holding the rendered message. */
  emailId: string;
}

export interface JobPayloads {
  [JobName.SEND_EMAIL]: SendEmailPayload;
}

/** Which queue serves which job; the worker refuses to boot if a job has no handler. */
export const JOB_QUEUES: Record<keyof JobPayloads, QueueName> = {
  [JobName.SEND_EMAIL]: QueueName.MAIL,
};
