import { computed, onBeforeUnmount, ref } from 'vue';
import type { PortalAttachment } from '../../../types';
import {
  MAX_PENDING_UPLOADS,
  displayName,
  isPreviewableImage,
  refusalOf,
  uploadFailureWords,
} from '../upload-rules';
import { discardReceipt, uploadReceipt } from './receipt-transport';

export type ReceiptStatus = 'uploading' | 'ready' | 'failed';

/** One file the person chose for their answer, from choosing it to sending it. */
export interface ReceiptUpload {
  key: number;
  name: string;
  size: number;
  type: string;
  /** A local preview of a photo (an object URL), shown before and after the upload. */
  previewUrl: string | null;
  status: ReceiptStatus;
  /** 0…100 while uploading. */
  progress: number;
  /** Why it was refused, in plain words (status `failed`). */
  error: string | null;
  attachment: PortalAttachment | null;
  /** The question it was uploaded to (kept, so leaving for another question removes it from the right one). */
  businessId: string;
  questionId: string;
}

/**
 * The receipts of one answer being written: each chosen file is checked, uploaded at once with its
 * progress, and can be removed; the ids of those that arrived go with the answer.
 */
export function useReceiptUploads(target: () => { businessId: string; questionId: string } | null) {
  const items = ref<ReceiptUpload[]>([]);
  /** The last thing worth saying about the uploads, for a polite live region. */
  const announcement = ref('');
  const aborts = new Map<number, () => void>();
  let nextKey = 1;

  const ready = computed(() => items.value.filter((i) => i.status === 'ready' && i.attachment));
  const readyIds = computed(() => ready.value.map((i) => i.attachment!.id));
  const uploading = computed(() => items.value.some((i) => i.status === 'uploading'));
  const waitingCount = computed(() => items.value.filter((i) => i.status !== 'failed').length);

  function find(key: number): ReceiptUpload | undefined {
    return items.value.find((i) => i.key === key);
  }

  function add(files: Iterable<File>): void {
    const t = target();
    if (!t) return;
    const words: string[] = [];
    for (const file of files) {
      const item: ReceiptUpload = {
        key: nextKey++,
        name: file.name || 'Photo',
        size: file.size,
        type: file.type,
        previewUrl:
          isPreviewableImage(file.type) && typeof URL.createObjectURL === 'function'
            ? URL.createObjectURL(file)
            : null,
        status: 'uploading',
        progress: 0,
        error: null,
        attachment: null,
        businessId: t.businessId,
        questionId: t.questionId,
      };
      const refusal =
        refusalOf(file) ??
        (waitingCount.value >= MAX_PENDING_UPLOADS
          ? `${displayName(item.name)} wasn’t added: send your answer first, then attach more (up to ${MAX_PENDING_UPLOADS} at a time).`
          : null);
      items.value.push(item);
      if (refusal) {
        fail(item.key, refusal);
        words.push(refusal);
        continue;
      }
      words.push(`Uploading ${item.name}.`);
      start(item.key, file, item.businessId, item.questionId);
    }
    announcement.value = words.join(' ');
  }

  function fail(key: number, message: string): void {
    const item = find(key);
    if (!item) return;
    item.status = 'failed';
    item.error = message;
    if (item.previewUrl) {
      URL.revokeObjectURL(item.previewUrl);
      item.previewUrl = null;
    }
  }

  function start(key: number, file: File, businessId: string, questionId: string): void {
    const handle = uploadReceipt(businessId, questionId, file, (fraction) => {
      const item = find(key);
      // Bytes sent are not bytes stored: hold at 99 % until the server answers.
      if (item && item.status === 'uploading') item.progress = Math.min(99, Math.round(fraction * 100));
    });
    aborts.set(key, handle.abort);
    void handle.done.then((outcome) => {
      aborts.delete(key);
      const item = find(key);
      if (!item) {
        // Removed while uploading, but it arrived anyway: remove it on the server too.
        if (outcome.ok) void discardReceipt(businessId, questionId, outcome.attachment.id);
        return;
      }
      if (outcome.ok) {
        item.status = 'ready';
        item.progress = 100;
        item.attachment = outcome.attachment;
        item.size = outcome.attachment.size || item.size;
        announcement.value = `${item.name} is attached and will go with your answer.`;
      } else if (!outcome.aborted) {
        const message = uploadFailureWords(outcome.failure, item.name);
        fail(key, message);
        announcement.value = message;
      }
    });
  }

  /** Takes a file off the answer: stops its upload, or removes the uploaded copy. */
  function remove(key: number): void {
    const item = find(key);
    if (!item) return;
    items.value = items.value.filter((i) => i.key !== key);
    if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    aborts.get(key)?.();
    aborts.delete(key);
    if (item.status === 'ready' && item.attachment) {
      void discardReceipt(item.businessId, item.questionId, item.attachment.id);
    }
    announcement.value = item.status === 'failed' ? `${item.name} dismissed.` : `${item.name} removed.`;
  }

  /** After the answer went: the files are the firm's now, forget them here. */
  function forgetSent(): void {
    for (const item of items.value) if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    items.value = [];
  }

  /**
   * Leaving without sending: stop uploads and remove what arrived (the portal can't show unsent files
   * again later, so they would wait on the server unseen).
   */
  function abandon(): void {
    for (const item of items.value) {
      aborts.get(item.key)?.();
      if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
      if (item.status === 'ready' && item.attachment) {
        void discardReceipt(item.businessId, item.questionId, item.attachment.id);
      }
    }
    aborts.clear();
    items.value = [];
    announcement.value = '';
  }

  onBeforeUnmount(abandon);

  return { items, ready, readyIds, uploading, announcement, add, remove, forgetSent, abandon };
}
