import { encodeExtended, format } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import type { FileStorage } from './file-storage';
import { sanitizeFilename } from './filename';

export interface SendStoredFileOptions {
  /** The name offered to the browser (sanitised again here). */
  filename: string;
  /** The type recorded at upload (the sniffed one); defaults to the type kept with the file. */
  contentType?: string;
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name>` (RFC 6266 with
 * RFC 5987/8187 encoding). Always both: browsers use filename*, older clients the ASCII fallback.
 */
export function attachmentDisposition(filename: string): string {
  const name = sanitizeFilename(filename);
  // Non-ASCII becomes "_"; "%" too, since some clients percent-decode the plain parameter.
  const fallback = name.replace(/[^\x20-\x7e]|%/g, '_');
  return format({
    type: 'attachment',
    parameters: { filename: fallback, 'filename*': encodeExtended(name) },
  });
}

/**
 * Streams a stored file to a Fastify reply as a download. Files are never served from a public
 * path: a route calls this after its own authorization check (this function checks nothing).
 * The headers make the browser save the file rather than render it, stop it from second-guessing
 * the type (`nosniff`), keep it out of shared caches, and sandbox it should it be opened anyway.
 * Throws STORED_FILE_NOT_FOUND (404) before any header is sent when nothing is stored under `key`.
 *
 * In a Nest controller: `@Res() reply: FastifyReply`, then `return sendStoredFile(reply, storage, key, {...})`.
 */
export async function sendStoredFile(
  reply: FastifyReply,
  storage: FileStorage,
  key: string,
  options: SendStoredFileOptions,
): Promise<FastifyReply> {
  const file = await storage.get(key);
  return reply
    .header('content-type', options.contentType ?? file.contentType)
    .header('content-length', file.size)
    .header('content-disposition', attachmentDisposition(options.filename))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(file.body);
}
