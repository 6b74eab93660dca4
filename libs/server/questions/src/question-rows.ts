import type { EntityManager } from 'typeorm';
import { questionReference } from '@ledgerport/server/sync';
import type { AttachmentDto, CategoryDto, QuestionDto, QuestionKind, QuestionMessageDto, QuestionStatus, QuestionTransactionDto } from './dto/questions.dto';

/** A question as the queries below read it. */
export interface QuestionRow {
  id: string;
  firm_id: string;
  number: number;
  kind: QuestionKind;
  status: QuestionStatus;
  text: string;
  client_id: string;
  client_name: string;
  transaction_id: string | null;
  txn: Omit<QuestionTransactionDto, 'id'> | null;
  category_options: CategoryDto[];
  answer_category: CategoryDto | null;
  contact_id: string | null;
  contact_name: string | null;
  assignee_user_id: string | null;
  assignee_name: string | null;
  created_by_user: string | null;
  created_by_user_name: string | null;
  created_by_contact: string | null;
  created_by_contact_name: string | null;
  firm_name: string;
  due_on: string | null;
  created_at: Date;
  last_activity_at: Date;
  answered_at: Date | null;
  resolved_at: Date | null;
  message_count: number;
  attachment_count: number;
  apply_status: 'pending' | 'applied' | 'failed' | null;
  apply_error: string | null;
  applied_category: CategoryDto | null;
  applied_at: Date | null;
}

/** Every column a QuestionDto needs; `q` is questions, `c` its client. */
export const QUESTION_SELECT = `
  SELECT q.id, q.firm_id, q.number, q.kind, q.status, q.text, q.client_id, c.name AS client_name, q.transaction_id::text AS transaction_id, q.txn,
         q.category_options, q.answer_category, q.contact_id, cc.name AS contact_name, q.assignee_user_id, au.name AS assignee_name,
         q.created_by_user, cu.name AS created_by_user_name, q.created_by_contact, kc.name AS created_by_contact_name, f.name AS firm_name,
         to_char(q.due_on, 'YYYY-MM-DD') AS due_on, q.created_at, q.last_activity_at, q.answered_at, q.resolved_at,
         q.message_count, q.attachment_count, q.apply_status, q.apply_error, q.applied_category, q.applied_at
    FROM questions q
    JOIN clients c ON c.id = q.client_id
    JOIN firms f ON f.id = q.firm_id
    LEFT JOIN client_contacts cc ON cc.client_id = q.client_id AND cc.contact_id = q.contact_id
    LEFT JOIN users au ON au.id = q.assignee_user_id
    LEFT JOIN users cu ON cu.id = q.created_by_user
    LEFT JOIN client_contacts kc ON kc.client_id = q.client_id AND kc.contact_id = q.created_by_contact`;

/** How a question is named to people ("Q-12"): the explorer, beside its transaction, names it the same way. */
export const reference = questionReference;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function transactionOf(r: Pick<QuestionRow, 'txn' | 'transaction_id'>): QuestionTransactionDto | null {
  return r.txn ? { id: r.transaction_id, ...r.txn } : null;
}

export function askedByOf(r: QuestionRow): QuestionDto['askedBy'] {
  return r.created_by_contact
    ? { id: r.created_by_contact, name: r.created_by_contact_name ?? 'Someone at the business', side: 'client' }
    : { id: r.created_by_user, name: r.created_by_user_name ?? r.firm_name, side: 'firm' };
}

export function toQuestionDto(r: QuestionRow): QuestionDto {
  return {
    id: r.id,
    number: r.number,
    reference: reference(r.number),
    kind: r.kind,
    status: r.status,
    text: r.text,
    client: { id: r.client_id, name: r.client_name },
    transaction: transactionOf(r),
    categoryOptions: r.category_options,
    answerCategory: r.answer_category,
    contact: r.contact_id ? { id: r.contact_id, name: r.contact_name ?? '' } : null,
    assignee: r.assignee_user_id ? { id: r.assignee_user_id, name: r.assignee_name ?? '' } : null,
    askedBy: askedByOf(r),
    dueOn: r.due_on,
    createdAt: r.created_at.toISOString(),
    lastActivityAt: r.last_activity_at.toISOString(),
    answeredAt: iso(r.answered_at),
    resolvedAt: iso(r.resolved_at),
    messageCount: r.message_count,
    attachmentCount: r.attachment_count,
    apply: r.apply_status
      ? { status: r.apply_status, category: r.applied_category, error: r.apply_error, appliedAt: iso(r.applied_at) }
      : null,
  };
}

interface MessageRow {
  id: string;
  author_user_id: string | null;
  author_contact_id: string | null;
  author_name: string;
  internal: boolean;
  body: string;
  category: CategoryDto | null;
  created_at: Date;
  attachments: { id: string; filename: string; content_type: string; size: string; created_at: string }[];
}

/** A question's thread, oldest first, with each message's attachments; internal notes only for the firm. */
export async function threadOf(m: EntityManager, questionId: string, withInternal: boolean): Promise<QuestionMessageDto[]> {
  const rows: MessageRow[] = await m.query(
    `SELECT x.id, x.author_user_id, x.author_contact_id, x.author_name, x.internal, x.body, x.category, x.created_at,
            coalesce((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename, 'content_type', a.content_type, 'size', a.size,
                                                        'created_at', a.created_at) ORDER BY a.created_at, a.id)
                        FROM question_attachments a WHERE a.message_id = x.id), '[]'::json) AS attachments
       FROM question_messages x
      WHERE x.question_id = $1 AND ($2::boolean OR NOT x.internal)
      ORDER BY x.created_at, x.id`,
    [questionId, withInternal],
  );
  return rows.map((r) => ({
    id: r.id,
    author: r.author_contact_id
      ? { id: r.author_contact_id, name: r.author_name, side: 'client' as const }
      : { id: r.author_user_id, name: r.author_name, side: 'firm' as const },
    internal: r.internal,
    body: r.body,
    category: r.category,
    attachments: r.attachments.map(toAttachmentDto),
    createdAt: r.created_at.toISOString(),
  }));
}

function toAttachmentDto(a: MessageRow['attachments'][number]): AttachmentDto {
  return { id: a.id, filename: a.filename, contentType: a.content_type, size: Number(a.size), createdAt: new Date(a.created_at).toISOString() };
}
