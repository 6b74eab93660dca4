import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ActivityService } from '@ledgerport/server/audit';
import { returningRows } from '@ledgerport/server/db';
import { AppException } from '@ledgerport/server/errors';
import { membershipOf, type ContactPrincipal } from '@ledgerport/server/portal';
import type { AnswerDto, AskFirmDto, PersonDto, PortalQuestionDetailDto, PortalQuestionDto, PortalQuestionListDto, ReassignDto } from './dto/questions.dto';
import { eventPayload, recordQuestionEvents } from './question-events';
import { QuestionListCache } from './question-list-cache';
import { askedByOf, QUESTION_SELECT, reference, threadOf, transactionOf, type QuestionRow } from './question-rows';
import { contactNotFound, QuestionErrorCode, questionNotFound } from './questions.errors';

/**
 * Questions as a client's people see them (Q3–Q7): what needs their answer, what waits on the
 * bookkeeper, answering with a category and receipts, handing a question to a teammate, and asking
 * the firm. Internal notes and resolved questions never reach the portal.
 */
@Injectable()
export class PortalQuestionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly activity: ActivityService,
    private readonly cache: QuestionListCache,
  ) {}

  /** The list as JSON, kept per client version (QuestionListCache); membership is checked first, every time. */
  listJson(p: ContactPrincipal, businessId: string): Promise<string> {
    const { question_version } = membershipOf(p, businessId);
    return this.cache.json(businessId, JSON.stringify(['portal', p.contact.id]), () => this.list(p, businessId), question_version);
  }

  async list(p: ContactPrincipal, businessId: string): Promise<PortalQuestionListDto> {
    membershipOf(p, businessId);
    const rows: QuestionRow[] = await this.db.query(
      `${QUESTION_SELECT} WHERE q.client_id = $1 AND q.status <> 'resolved' ORDER BY q.due_on NULLS LAST, q.created_at, q.number`,
      [businessId],
    );
    const items = rows.map((r) => this.toDto(p, r));
    const needsAnswer = items.filter((q) => q.status === 'open' && q.mine);
    return {
      needsAnswer,
      withOthers: items.filter((q) => q.status === 'open' && !q.mine),
      waiting: items.filter((q) => q.status === 'answered'),
      openCount: needsAnswer.length,
      canAsk: await this.questionsForUs(businessId),
    };
  }

  async get(p: ContactPrincipal, businessId: string, id: string): Promise<PortalQuestionDetailDto> {
    membershipOf(p, businessId);
    const row = await this.question(this.db.manager, businessId, id);
    const teammates: PersonDto[] = await this.db.query(
      `SELECT contact_id AS id, name FROM client_contacts WHERE client_id = $1 AND status <> 'deactivated' AND contact_id <> $2 ORDER BY name`,
      [businessId, p.contact.id],
    );
    return { ...this.toDto(p, row), messages: await threadOf(this.db.manager, id, false), teammates };
  }

  /** An answer: words, a picked category, receipts, or any of them. The question then waits on the firm. */
  async answer(p: ContactPrincipal, businessId: string, id: string, dto: AnswerDto): Promise<PortalQuestionDetailDto> {
    const membership = membershipOf(p, businessId);
    const body = dto.body ?? '';
    const attachmentIds = dto.attachmentIds ?? [];
    if (!body && !dto.categoryId && !attachmentIds.length) {
      throw new AppException(HttpStatus.BAD_REQUEST, QuestionErrorCode.ANSWER_EMPTY, 'Write an answer, pick a category or attach a receipt.', [
        { field: 'body', message: 'must not be empty without a category or an attachment' },
      ]);
    }
    await this.db.transaction(async (m) => {
      const q = await this.question(m, businessId, id, true);
      const category = dto.categoryId ? q.category_options.find((c) => c.id === dto.categoryId) : undefined;
      if (dto.categoryId && !category) {
        throw new AppException(HttpStatus.BAD_REQUEST, QuestionErrorCode.CATEGORY_NOT_OFFERED, 'Pick one of the categories offered with this question.', [
          { field: 'categoryId', message: 'is not one of the offered categories' },
        ]);
      }
      const [message]: { id: string }[] = await m.query(
        `INSERT INTO question_messages (question_id, firm_id, author_contact_id, author_name, body, category) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [id, q.firm_id, p.contact.id, membership.name, body, category ? JSON.stringify(category) : null],
      );
      if (attachmentIds.length) {
        // Only files this person uploaded to this question and has not sent yet.
        const linked = await returningRows<{ id: string }>(
          m,
          `UPDATE question_attachments SET message_id = $1 WHERE id = ANY($2::uuid[]) AND question_id = $3 AND uploaded_by_contact = $4 AND message_id IS NULL RETURNING id`,
          [message.id, attachmentIds, id, p.contact.id],
        );
        if (linked.length !== attachmentIds.length) {
          throw new AppException(HttpStatus.BAD_REQUEST, QuestionErrorCode.ATTACHMENT_NOT_FOUND, 'Some attachments were not found. Upload them again.', [
            { field: 'attachmentIds', message: 'must be files you uploaded to this question and have not sent' },
          ]);
        }
      }
      await m.query(
        `UPDATE questions SET status = 'answered', answered_at = now(), last_activity_at = now(), updated_at = now(),
                answer_category = coalesce($2::jsonb, answer_category), message_count = message_count + 1, attachment_count = attachment_count + $3,
                answer_pending_notice = assignee_user_id IS NOT NULL
          WHERE id = $1`,
        [id, category ? JSON.stringify(category) : null, attachmentIds.length],
      );
      await recordQuestionEvents(
        m,
        this.activity,
        [
          {
            firmId: q.firm_id,
            actor: null,
            actorName: `${membership.name} (client)`,
            action: 'question.answered',
            summary: `Answered ${reference(q.number)}${category ? ` with ${category.name}` : ''}${attachmentIds.length ? `, ${attachmentIds.length} attachment${attachmentIds.length > 1 ? 's' : ''}` : ''}`,
            client: { id: q.client_id, name: q.client_name },
            target: { type: 'question', id },
          },
        ],
        [
          {
            firmId: q.firm_id,
            type: 'question.answered',
            subjectId: id,
            payload: { ...eventPayload({ ...q, status: 'answered' }), category: category ?? null, attachments: attachmentIds.length },
          },
        ],
      );
    });
    return this.get(p, businessId, id);
  }

  /** Q5: hand the question to someone else at the business; they hear about it by email. */
  async reassign(p: ContactPrincipal, businessId: string, id: string, dto: ReassignDto): Promise<PortalQuestionDetailDto> {
    const membership = membershipOf(p, businessId);
    await this.db.transaction(async (m) => {
      const q = await this.question(m, businessId, id, true);
      const [to]: { contact_id: string; name: string }[] = await m.query(
        `SELECT contact_id, name FROM client_contacts WHERE client_id = $1 AND contact_id = $2 AND status <> 'deactivated'`,
        [businessId, dto.contactId],
      );
      if (!to) throw contactNotFound();
      if (to.contact_id === q.contact_id) {
        throw new AppException(HttpStatus.CONFLICT, QuestionErrorCode.SAME_CONTACT, `${reference(q.number)} is already with ${to.name}.`);
      }
      // notified_at cleared: the next digest tells the new person.
      await m.query(`UPDATE questions SET contact_id = $2, notified_at = NULL, reminders_sent = 0, updated_at = now(), last_activity_at = now() WHERE id = $1`, [
        id,
        to.contact_id,
      ]);
      await this.activity.record(m, {
        firmId: q.firm_id,
        actor: null,
        actorName: `${membership.name} (client)`,
        action: 'question.reassigned',
        summary: `Handed ${reference(q.number)} to ${to.name}`,
        client: { id: q.client_id, name: q.client_name },
        target: { type: 'question', id },
        details: { from: q.contact_id, to: to.contact_id },
      });
    });
    return this.get(p, businessId, id);
  }

  /** Q3: the client asks the firm, where the firm turned Questions for Us on. It waits on the firm. */
  async askFirm(p: ContactPrincipal, businessId: string, dto: AskFirmDto): Promise<PortalQuestionDetailDto> {
    const membership = membershipOf(p, businessId);
    const id = await this.db.transaction(async (m) => {
      const [client]: { firm_id: string; name: string; questions_for_us: boolean }[] = await m.query(
        `SELECT firm_id, name, questions_for_us FROM clients WHERE id = $1 FOR UPDATE`,
        [businessId],
      );
      if (!client?.questions_for_us) {
        throw new AppException(HttpStatus.FORBIDDEN, QuestionErrorCode.QUESTIONS_FOR_US_OFF, 'Your bookkeeper has not turned on questions from your business.');
      }
      const [{ question_seq: number }] = await returningRows<{ question_seq: number }>(
        m,
        `UPDATE clients SET question_seq = question_seq + 1 WHERE id = $1 RETURNING question_seq`,
        [businessId],
      );
      // The firm's turn from the start; replies come back to the person who asked.
      const [q]: { id: string; number: number; kind: string; status: string; client_id: string }[] = await m.query(
        `INSERT INTO questions (firm_id, client_id, number, kind, status, text, contact_id, created_by_contact, answered_at, notified_at)
         VALUES ($1, $2, $3, 'for_us', 'answered', $4, $5, $5, now(), now())
         RETURNING id, number, kind, status, client_id`,
        [client.firm_id, businessId, number, dto.text, p.contact.id],
      );
      await recordQuestionEvents(
        m,
        this.activity,
        [
          {
            firmId: client.firm_id,
            actor: null,
            actorName: `${membership.name} (client)`,
            action: 'question.created',
            summary: `Asked the firm ${reference(q.number)}`,
            client: { id: businessId, name: client.name },
            target: { type: 'question', id: q.id },
            details: { reference: reference(q.number), kind: 'for_us' },
          },
        ],
        [{ firmId: client.firm_id, type: 'question.created', subjectId: q.id, payload: eventPayload(q) }],
      );
      return q.id;
    });
    return this.get(p, businessId, id);
  }

  // ------------------------------------------------------------------ helpers

  /** A question of the business the portal may show: not resolved (Q6), else 404. */
  private async question(m: EntityManager, businessId: string, id: string, lock = false): Promise<QuestionRow> {
    const [row]: QuestionRow[] = await m.query(
      `${QUESTION_SELECT} WHERE q.id = $1 AND q.client_id = $2 AND q.status <> 'resolved'${lock ? ' FOR UPDATE OF q' : ''}`,
      [id, businessId],
    );
    if (!row) throw questionNotFound();
    return row;
  }

  private async questionsForUs(businessId: string): Promise<boolean> {
    const [row]: { questions_for_us: boolean }[] = await this.db.query(`SELECT questions_for_us FROM clients WHERE id = $1`, [businessId]);
    return row?.questions_for_us ?? false;
  }

  private toDto(p: ContactPrincipal, r: QuestionRow): PortalQuestionDto {
    return {
      id: r.id,
      reference: reference(r.number),
      kind: r.kind,
      status: r.status as 'open' | 'answered',
      text: r.text,
      transaction: transactionOf(r),
      categoryOptions: r.category_options,
      answerCategory: r.answer_category,
      contact: r.contact_id ? { id: r.contact_id, name: r.contact_name ?? '' } : null,
      mine: r.contact_id === p.contact.id,
      askedBy: askedByOf(r),
      dueOn: r.due_on,
      createdAt: r.created_at.toISOString(),
      lastActivityAt: r.last_activity_at.toISOString(),
      messageCount: r.message_count,
    };
  }
}
