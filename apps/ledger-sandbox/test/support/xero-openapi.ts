/**
 * Xero's published models as JSON-schema validators for the sandbox's fidelity tests: every object
 * schema of the OpenAPI documents in reference/xero is closed (additionalProperties: false), so no
 * member outside the published model passes.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const REFERENCE = join(__dirname, '../../reference/xero');

/** Adds additionalProperties:false to every object schema, so no member outside the published model passes. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!schema || typeof schema !== 'object') return schema;
  const s = { ...(schema as Record<string, unknown>) };
  if (s.properties && typeof s.properties === 'object') {
    s.properties = Object.fromEntries(
      Object.entries(s.properties as Record<string, unknown>).map(([k, v]) => [k, closeObjects(v)]),
    );
    if (s.additionalProperties === undefined) s.additionalProperties = false;
  }
  for (const k of ['items', 'allOf', 'anyOf', 'oneOf', 'not']) if (s[k]) s[k] = closeObjects(s[k]);
  return s;
}

export function loadDocument(
  file: string,
  id: string,
  relaxDateTime = false,
): (schema: string, body: unknown) => string[] {
  const doc = parse(readFileSync(join(REFERENCE, file), 'utf8')) as {
    components: { schemas: Record<string, unknown> };
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['double', 'float', 'int32', 'int64', 'decimal', 'byte', 'binary']) ajv.addFormat(f, true);
  // Xero's identity service prints UTC times without a zone ("2019-12-07T18:46:19.5165400").
  if (relaxDateTime)
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i);
  ajv.addSchema({
    $id: id,
    components: {
      schemas: Object.fromEntries(
        Object.entries(doc.components.schemas).map(([k, v]) => [k, closeObjects(v)]),
      ),
    },
  });
  const cache = new Map<string, ValidateFunction>();
  return (schema, body) => {
    let v = cache.get(schema);
    if (!v) {
      v = ajv.getSchema(`${id}#/components/schemas/${schema}`);
      if (!v) throw new Error(`${file} has no schema ${schema}`);
      cache.set(schema, v);
    }
    return v(body)
      ? []
      : (v.errors ?? [])
          .slice(0, 10)
          .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
}

export const accountingDoc = loadDocument('xero_accounting.yaml', 'xero-accounting');
export const identityDoc = loadDocument('xero-identity.yaml', 'xero-identity', true);
export const payrollDoc = loadDocument('xero-payroll-uk.yaml', 'xero-payroll-uk');
export const assetsDoc = loadDocument('xero_assets.yaml', 'xero-assets');

/** An Accounting API answer: the envelope Xero adds (Id, Status, ProviderName, DateTimeUTC), then the operation's schema. */
export function expectAccounting(schema: string, body: unknown): void {
  const { Id, Status, ProviderName, DateTimeUTC, ...rest } = body as Record<string, unknown>;
  expect(typeof Id).toBe('string');
  expect(Status).toBe('OK');
  expect(typeof ProviderName).toBe('string');
  expect(DateTimeUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/);
  expect(accountingDoc(schema, rest)).toEqual([]);
}
