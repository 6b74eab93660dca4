import type { EntityManager } from 'typeorm';
import type { ActivityEntry, ActivityService } from '@ledgerport/server/audit';
import { reference } from './question-rows';

export type QuestionEventType = 'question.created' | 'question.answered' | 'question.resolved';

export interface OutboxEvent {
  firmId: string;
  type: QuestionEventType;
  subjectId: string;
  payload: Record<string, unknown>;
}

/** Writes events for integrators' webhooks (I2) in the transaction of the change they describe. */
export async function writeOutbox(m: EntityManager, events: OutboxEvent[]): Promise<void> {
  if (!events.length) return;
  await m.query(
    `INSERT INTO outbox_events (firm_id, type, subject_id, payload)
     SELECT e.firm_id, e.type, e.subject_id, e.payload
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(doc, n),
            jsonb_to_record(x.doc) AS e(firm_id uuid, type text, subject_id uuid, payload jsonb)
      ORDER BY x.n`,
    [JSON.stringify(events.map((e) => ({ firm_id: e.firmId, type: e.type, subject_id: e.subjectId, payload: e.payload })))],
  );
}

/** The activity log (T9) and the outbox, together, in the caller's transaction. */
export async function recordQuestionEvents(m: EntityManager, activity: ActivityService, entries: ActivityEntry[], events: OutboxEvent[] = []): Promise<void> {
  await activity.record(m, ...entries);
  await writeOutbox(m, events);
}

/** The fields every question event carries. */
export function eventPayload(q: { id: string; client_id: string; number: number; kind: string; status: string }): Record<string, unknown> {
  return { questionId: q.id, clientId: q.client_id, reference: reference(q.number), kind: q.kind, status: q.status };
}
