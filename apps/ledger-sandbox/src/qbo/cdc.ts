import type { CompanyLedger } from '../model/company-ledger';
import type { Txn } from '../model/ledger';
import {
  canonicalEntity,
  type EntityName,
  isTxnEntity,
  KIND_OF_ENTITY,
  type QboObject,
  type QboRenderer,
} from './entities';
import { faults } from './errors';

export const CDC_MAX_DAYS = 30;
export const CDC_MAX_OBJECTS = 1000;
const DAY_MS = 86_400_000;

/**
 * Change data capture: every object of the listed entities changed after `changedSince` (at most
 * 30 days back), deleted transactions as `{Id, status: 'Deleted', MetaData}`, at most 1000 objects
 * in all — the oldest changes first, so a caller can continue from the last LastUpdatedTime.
 * Base transactions count as created at their creation time, so the last 30 days of generated
 * history show up as changes too.
 */
export function changeDataCapture(
  ledger: CompanyLedger,
  render: QboRenderer,
  entitiesParam: string | undefined,
  changedSince: string | undefined,
  now: number,
): QboObject {
  if (!entitiesParam) throw faults.required('entities');
  if (!changedSince) throw faults.required('changedSince');
  const since = Date.parse(changedSince);
  if (Number.isNaN(since))
    throw faults.invalidRequest(
      `changedSince '${changedSince}' is not a date-time such as 2026-11-01T00:00:00-08:00`,
    );
  if (since < now - CDC_MAX_DAYS * DAY_MS)
    throw faults.queryInvalid(`changedSince cannot be more than ${CDC_MAX_DAYS} days in the past`);
  const entities: EntityName[] = [];
  for (const name of entitiesParam
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const e = canonicalEntity(name);
    if (!e)
      throw faults.invalidRequest(`Entity ${name} is not supported by change data capture in this sandbox`);
    if (!entities.includes(e)) entities.push(e);
  }

  type Item = { entity: EntityName; at: number; obj: QboObject };
  const items: Item[] = [];
  const sinceIso = new Date(since).toISOString();
  const after = (iso: string) => {
    const t = Date.parse(iso);
    return t > since && t <= now;
  };

  const touched = new Set<string>();
  for (const c of ledger.changesSince(new Date(0).toISOString())) if (c.entity === 'Txn') touched.add(c.id);

  for (const entity of entities) {
    if (!isTxnEntity(entity)) {
      const list =
        entity === 'Account'
          ? ledger.accounts.filter((a) => after(a.updatedAt)).map((a) => render.account(a))
          : entity === 'Class'
            ? ledger.classes.filter((c) => after(c.updatedAt)).map((c) => render.klass(c))
            : ledger.payees
                .filter((p) => p.kind === (entity === 'Vendor' ? 'vendor' : 'customer') && after(p.updatedAt))
                .map((p) => render.payee(p));
      for (const obj of list) items.push({ entity, at: Date.parse(obj.MetaData.LastUpdatedTime), obj });
      continue;
    }
    const kind = KIND_OF_ENTITY[entity];
    const seen = new Set<string>();
    const add = (t: Txn) => {
      if (seen.has(t.id) || t.kind !== kind) return;
      seen.add(t.id);
      items.push({ entity, at: Date.parse(t.updatedAt), obj: t.deleted ? render.deleted(t) : render.txn(t) });
    };
    for (const c of ledger.changesSince(sinceIso)) {
      if (c.entity !== 'Txn' || c.kind !== kind) continue;
      const t = ledger.txnById(c.id);
      if (t && after(t.updatedAt)) add(t);
    }
    // Untouched base transactions created in the window (creation time grows with the index).
    const all = ledger.indicesOf([kind]);
    const from = Math.max(0, ledger.firstIndexOnOrAfter(sinceIso.slice(0, 10)) - 2);
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    for (let p = lo; p < all.length && all[p] < ledger.baseCount; p++) {
      const t = ledger.txn(all[p])!;
      if (touched.has(t.id)) continue;
      if (Date.parse(t.createdAt) > now) break;
      if (after(t.createdAt)) add(t);
    }
  }

  items.sort((a, b) => a.at - b.at);
  const kept = items.slice(0, CDC_MAX_OBJECTS);
  const QueryResponse = entities.map((entity) => {
    const objs = kept.filter((i) => i.entity === entity).map((i) => i.obj);
    return objs.length
      ? { [entity]: objs, startPosition: 1, maxResults: objs.length, totalCount: objs.length }
      : {};
  });
  return { CDCResponse: [{ QueryResponse }] };
}
