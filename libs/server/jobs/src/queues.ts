/** Every queue and job name, with its payload type, in one place. */
export const QueueName = {
  MAIL: 'mail',
  SYNC: 'sync',
  QUESTIONS: 'questions',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  SEND_EMAIL: 'send-email',
  /** One sync run of one ledger connection, in slices (the job re-queues itself between slices). */
  SYNC_CONNECTION: 'sync-connection',
  /** Every minute: enqueue the connections whose firm's sync interval has passed; re-queue lost runs. */
  SYNC_TICK: 'sync-tick',
  /** Write a question's accepted category back to the ledger (S6). */
  APPLY_CATEGORY: 'apply-category',
  /** Every minute: question digests, reminders and answer notices (Q9). */
  QUESTIONS_TICK: 'questions-tick',
} as const;

export interface SendEmailPayload {
  /** Row in outbound_emails holding the rendered message. */
  emailId: string;
}

export interface SyncConnectionPayload {
  runId: string;
  connectionId: string;
  firmId: string;
  /** Slices this run has had so far (its priority falls with them). */
  slices?: number;
}

export interface ApplyCategoryPayload {
  questionId: string;
}

export interface JobPayloads {
  [JobName.SEND_EMAIL]: SendEmailPayload;
  [JobName.SYNC_CONNECTION]: SyncConnectionPayload;
  [JobName.SYNC_TICK]: Record<string, never>;
  [JobName.APPLY_CATEGORY]: ApplyCategoryPayload;
  [JobName.QUESTIONS_TICK]: Record<string, never>;
}

/** Which queue serves which job; the worker refuses to boot if a job has no handler. */
export const JOB_QUEUES: Record<keyof JobPayloads, QueueName> = {
  [JobName.SEND_EMAIL]: QueueName.MAIL,
  [JobName.SYNC_CONNECTION]: QueueName.SYNC,
  [JobName.SYNC_TICK]: QueueName.SYNC,
  [JobName.APPLY_CATEGORY]: QueueName.QUESTIONS,
  [JobName.QUESTIONS_TICK]: QueueName.QUESTIONS,
};
