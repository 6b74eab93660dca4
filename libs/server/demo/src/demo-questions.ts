import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { FirmScope } from '@ledgerport/server/db';
import type { ContactPrincipal, Membership } from '@ledgerport/server/portal';
import { PortalQuestionsService, QuestionsService } from '@ledgerport/server/questions';

/** Whose questions the demo shows: Ben asks Acme's people, the owner asks Birch's. */
const DEMO_ASKERS: Record<string, string> = { 'Acme Coffee Roasters': 'ben@northwind.test', 'Birch Dental Studio': 'owner@northwind.test' };

/**
 * Q10's demo: a handful of open, answered and resolved questions for Acme (QuickBooks) and Birch
 * (Xero), asked about their synced uncategorized transactions through the product's own services,
 * so the loop shows at once. Runs once both ledgers are synced; does nothing when Northwind already
 * has questions. Answers the lines it printed.
 */
export async function seedDemoQuestions(app: INestApplicationContext): Promise<string[]> {
  const db = app.get<DataSource>(getDataSourceToken());
  const questions = app.get(QuestionsService);
  const portal = app.get(PortalQuestionsService);
  const [{ n }]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM questions q JOIN firms f ON f.id = q.firm_id WHERE f.slug = 'northwind'`);
  if (n > 0) return ['Demo questions: already there'];
  const out: string[] = [];
  for (const [clientName, askerEmail] of Object.entries(DEMO_ASKERS)) {
    const [client]: { id: string; firm_id: string; connection_id: string }[] = await db.query(
      `SELECT c.id, c.firm_id, l.id AS connection_id FROM clients c JOIN firms f ON f.id = c.firm_id
         JOIN ledger_connections l ON l.client_id = c.id AND l.status = 'connected' AND l.backfilled_at IS NOT NULL
        WHERE f.slug = 'northwind' AND c.name = $1`,
      [clientName],
    );
    if (!client) {
      out.push(`Demo questions: ${clientName} is not synced yet`);
      continue;
    }
    const [user]: { id: string; name: string; role: 'admin' | 'staff' }[] = await db.query(`SELECT id, name, role FROM users WHERE email = $1`, [askerEmail]);
    const scope: FirmScope = { firmId: client.firm_id, userId: user.id, role: user.role, userName: user.name };
    const txns: { id: string }[] = await db.query(
      `SELECT id::text AS id FROM ledger_transactions WHERE connection_id = $1 AND uncategorized AND NOT deleted ORDER BY txn_date DESC, id DESC LIMIT 4`,
      [client.connection_id],
    );
    const categories: { external_id: string }[] = await db.query(
      `SELECT external_id FROM ledger_accounts WHERE connection_id = $1 AND active AND NOT needs_review AND type ILIKE '%expense%' ORDER BY name LIMIT 3`,
      [client.connection_id],
    );
    const asked = await questions.askBulk(scope, client.id, {
      text: 'What was this for? Pick a category if one fits, or tell us in a few words.',
      items: txns.map((t) => ({ transactionId: t.id })),
      categoryOptionIds: categories.map((c) => c.external_id),
    });
    await questions.ask(scope, client.id, { kind: 'other', text: 'Please send last month’s statement for your business card: a PDF or a photo is fine.' });

    // The primary portal user answers two; the firm resolves one of them.
    const [person]: { contact_id: string; email: string; name: string }[] = await db.query(
      `SELECT cc.contact_id, k.email, cc.name FROM client_contacts cc JOIN contacts k ON k.id = cc.contact_id WHERE cc.client_id = $1 ORDER BY cc.is_primary DESC LIMIT 1`,
      [client.id],
    );
    const principal = {
      sessionId: 'demo',
      contact: { id: person.contact_id, email: person.email, lastClientId: client.id },
      memberships: [{ client_id: client.id, name: person.name } as Membership],
    } as ContactPrincipal;
    const [first, second] = asked.items;
    if (first && categories[0]) await portal.answer(principal, client.id, first.id, { categoryId: categories[0].external_id, body: 'Supplies for the weekend market stall.' });
    if (second) {
      await portal.answer(principal, client.id, second.id, { body: 'That was a one-off refund to a customer.' });
      await questions.resolve(scope, second.id);
    }
    out.push(`Demo questions: ${asked.items.length + 1} asked of ${person.name} at ${clientName} (${first ? 1 : 0} answered, ${second ? 1 : 0} resolved)`);
  }
  return out;
}
