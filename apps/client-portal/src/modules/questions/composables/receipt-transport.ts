import { toApiError } from '@ledgerport/web/api-client';
import { portalCsrfToken, reportSessionExpired } from '../../../api';
import type { PortalAttachment } from '../../../types';
import type { UploadFailure } from '../upload-rules';

/*
 * Receipts travel outside the typed client on purpose: an upload needs progress events, which only
 * XMLHttpRequest gives (fetch has none for request bodies). The paths are those of the API contract
 * (docs/api.md, "Questions"); when schema.d.ts includes them, `discardReceipt` can move to `api.DELETE`.
 */

function attachmentsPath(businessId: string, questionId: string): string {
  return `/api/v1/portal/businesses/${encodeURIComponent(businessId)}/questions/${encodeURIComponent(questionId)}/attachments`;
}

/** Where a question's file downloads from (the portal cookie opens it; sent files and your own unsent ones). */
export function attachmentUrl(businessId: string, questionId: string, attachmentId: string): string {
  return `${attachmentsPath(businessId, questionId)}/${encodeURIComponent(attachmentId)}`;
}

export type UploadOutcome =
  | { ok: true; attachment: PortalAttachment }
  | { ok: false; aborted: true }
  | { ok: false; aborted?: false; failure: UploadFailure };

export interface UploadHandle {
  done: Promise<UploadOutcome>;
  abort(): void;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Uploads one file to a question (multipart, field `file`); `onProgress` gets 0…1 as bytes leave.
 * The file waits on the server, unseen by the firm, until its id goes with an answer.
 */
export function uploadReceipt(
  businessId: string,
  questionId: string,
  file: File,
  onProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadOutcome>((resolve) => {
    xhr.open('POST', attachmentsPath(businessId, questionId));
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = portalCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
    });
    xhr.addEventListener('load', () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status === 201 || xhr.status === 200) {
        onProgress(1);
        resolve({ ok: true, attachment: body as PortalAttachment });
        return;
      }
      if (xhr.status === 401) reportSessionExpired();
      resolve({ ok: false, failure: toApiError(body, new Response(null, { status: xhr.status })) });
    });
    xhr.addEventListener('error', () =>
      resolve({ ok: false, failure: toApiError(new TypeError('network')) }),
    );
    xhr.addEventListener('abort', () => resolve({ ok: false, aborted: true }));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/** Removes an upload that was not sent. */
export async function discardReceipt(
  businessId: string,
  questionId: string,
  attachmentId: string,
): Promise<{ ok: true } | { ok: false; failure: UploadFailure }> {
  try {
    const csrf = portalCsrfToken();
    const response = await fetch(attachmentUrl(businessId, questionId, attachmentId), {
      method: 'DELETE',
      credentials: 'include',
      headers: csrf ? { 'X-CSRF-Token': csrf } : {},
    });
    if (response.ok) return { ok: true };
    if (response.status === 401) reportSessionExpired();
    const text = await response.text();
    return { ok: false, failure: toApiError(parseJson(text), response) };
  } catch (e) {
    return { ok: false, failure: toApiError(e) };
  }
}
