import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { CLIENT_VISIBLE_SQL, returningRows, scopeParams, type FirmScope } from '@ledgerport/server/db';
import { AppException } from '@ledgerport/server/errors';
import { membershipOf, type ContactPrincipal } from '@ledgerport/server/portal';
import { FilesService, StorageErrorCode } from '@ledgerport/server/storage';
import type { AttachmentDto } from './dto/questions.dto';
import { QuestionErrorCode, questionNotFound } from './questions.errors';

/** Files one person may have uploaded to a question and not yet sent. */
const MAX_PENDING = 10;

interface AttachmentRow {
  id: string;
  storage_key: string;
  filename: string;
  content_type: string;
  size: string;
  created_at: Date;
}

const attachmentNotFound = () => new AppException(HttpStatus.NOT_FOUND, QuestionErrorCode.ATTACHMENT_NOT_FOUND, 'We could not find that file.');

/**
 * Receipts on questions (Q7, F2). A contact uploads a file to a question; it waits, unseen by the
 * firm, until it is sent with an answer. Files are streamed to storage, checked by their bytes, and
 * only ever served to the question's firm and the business's people, never from a public path.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly files: FilesService,
  ) {}

  async upload(p: ContactPrincipal, businessId: string, questionId: string, req: FastifyRequest): Promise<AttachmentDto> {
    membershipOf(p, businessId);
    const [q]: { firm_id: string }[] = await this.db.query(`SELECT firm_id FROM questions WHERE id = $1 AND client_id = $2 AND status <> 'resolved'`, [
      questionId,
      businessId,
    ]);
    if (!q) throw questionNotFound();
    const [{ n }]: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM question_attachments WHERE question_id = $1 AND uploaded_by_contact = $2 AND message_id IS NULL`,
      [questionId, p.contact.id],
    );
    if (n >= MAX_PENDING) {
      throw new AppException(HttpStatus.CONFLICT, 'TOO_MANY_ATTACHMENTS', `Send your answer first: at most ${MAX_PENDING} files can wait to be sent.`);
    }
    const part = req.isMultipart() ? await req.file().catch(() => undefined) : undefined;
    if (!part || part.fieldname !== 'file') {
      throw new AppException(HttpStatus.BAD_REQUEST, StorageErrorCode.FILE_EMPTY, 'Choose a photo or a PDF to attach.', [
        { field: 'file', message: 'send one file as multipart/form-data in the field "file"' },
      ]);
    }
    const stored = await this.files.accept({ file: part.file, filename: part.filename, mimetype: part.mimetype });
    try {
      const [row]: AttachmentRow[] = await this.db.query(
        `INSERT INTO question_attachments (question_id, firm_id, uploaded_by_contact, storage_key, filename, content_type, size, sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, storage_key, filename, content_type, size, created_at`,
        [questionId, q.firm_id, p.contact.id, stored.key, stored.filename, stored.contentType, stored.size, stored.sha256],
      );
      return toDto(row);
    } catch (err) {
      // No row, no file: nothing is kept that nobody can reach.
      await this.files.remove(stored.key).catch((e: unknown) => this.logger.warn({ key: stored.key, err: (e as Error).message }, 'Could not remove an orphaned upload'));
      throw err;
    }
  }

  /** Removes an upload its owner has not sent yet. */
  async discard(p: ContactPrincipal, businessId: string, questionId: string, attachmentId: string): Promise<void> {
    membershipOf(p, businessId);
    const [row] = await returningRows<{ storage_key: string }>(
      this.db,
      `DELETE FROM question_attachments a USING questions q
        WHERE a.id = $1 AND a.question_id = $2 AND q.id = a.question_id AND q.client_id = $3 AND a.uploaded_by_contact = $4 AND a.message_id IS NULL
        RETURNING a.storage_key`,
      [attachmentId, questionId, businessId, p.contact.id],
    );
    if (!row) throw attachmentNotFound();
    await this.files.remove(row.storage_key);
  }

  /** A file of an open question of the business: sent ones, and the person's own unsent ones. */
  async sendToContact(p: ContactPrincipal, businessId: string, questionId: string, attachmentId: string, reply: FastifyReply): Promise<FastifyReply> {
    membershipOf(p, businessId);
    const [row]: AttachmentRow[] = await this.db.query(
      `SELECT a.id, a.storage_key, a.filename, a.content_type, a.size, a.created_at
         FROM question_attachments a JOIN questions q ON q.id = a.question_id
         LEFT JOIN question_messages m ON m.id = a.message_id
        WHERE a.id = $1 AND a.question_id = $2 AND q.client_id = $3 AND q.status <> 'resolved'
          AND ((a.message_id IS NOT NULL AND NOT m.internal) OR (a.message_id IS NULL AND a.uploaded_by_contact = $4))`,
      [attachmentId, questionId, businessId, p.contact.id],
    );
    if (!row) throw attachmentNotFound();
    return this.files.send(reply, row.storage_key, { filename: row.filename, contentType: row.content_type });
  }

  /** A sent file of a question the staff member may see. */
  async sendToStaff(scope: FirmScope, questionId: string, attachmentId: string, reply: FastifyReply): Promise<FastifyReply> {
    const [row]: AttachmentRow[] = await this.db.query(
      `SELECT a.id, a.storage_key, a.filename, a.content_type, a.size, a.created_at
         FROM question_attachments a JOIN questions q ON q.id = a.question_id JOIN clients c ON c.id = q.client_id
        WHERE a.id = $4 AND a.question_id = $5 AND a.message_id IS NOT NULL AND q.firm_id = $1 AND ${CLIENT_VISIBLE_SQL}`,
      [...scopeParams(scope), attachmentId, questionId],
    );
    if (!row) throw attachmentNotFound();
    return this.files.send(reply, row.storage_key, { filename: row.filename, contentType: row.content_type });
  }
}

function toDto(r: AttachmentRow): AttachmentDto {
  return { id: r.id, filename: r.filename, contentType: r.content_type, size: Number(r.size), createdAt: r.created_at.toISOString() };
}
