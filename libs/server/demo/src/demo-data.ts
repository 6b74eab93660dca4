import type { DataSource } from 'typeorm';
import { PasswordHasher } from '@ledgerport/server/auth';

export const DEMO_PASSWORD = 'ledgerport-demo';

interface DemoContact {
  name: string;
  email: string;
  title: string;
  role: 'owner' | 'member';
  clients: string[];
}

/** The demo data the README and the tests rely on. Exact names matter. */
export const DEMO = {
  firms: [
    {
      name: 'Northwind Bookkeeping',
      slug: 'northwind',
      contact: { name: 'Olivia Owner', email: 'owner@northwind.test' },
      staff: [{ name: 'Ben Ortiz', email: 'ben@northwind.test', clients: ['Acme Coffee Roasters', 'Cedar Yoga Collective'] }],
      clients: ['Acme Coffee Roasters', 'Birch Dental Studio', 'Cedar Yoga Collective'],
      // Clients whose contacts may connect or reconnect the ledger from the portal.
      ledgerConnect: ['Birch Dental Studio'],
      // Portal users: no passwords, they sign in with an emailed link. Pat is one person at two businesses.
      contacts: [
        { name: 'Maria Lopez', email: 'maria@acme.test', title: 'Owner', role: 'owner', clients: ['Acme Coffee Roasters'] },
        { name: 'Pat Kim', email: 'pat@birch.test', title: 'Office manager', role: 'member', clients: ['Birch Dental Studio', 'Acme Coffee Roasters'] },
      ] as DemoContact[],
    },
    {
      name: 'Southgate Accounting',
      slug: 'southgate',
      contact: { name: 'Sam Southgate', email: 'owner@southgate.test' },
      staff: [] as { name: string; email: string; clients: string[] }[],
      clients: ['Delta Plumbing'],
      ledgerConnect: [] as string[],
      contacts: [] as DemoContact[],
    },
  ],
};

/** Seeds the demo firms into an empty database; returns false (and does nothing) when any firm exists. */
export async function seedDemo(db: DataSource): Promise<boolean> {
  const hash = await new PasswordHasher().hash(DEMO_PASSWORD);
  return db.transaction(async (m) => {
    const [{ n }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM firms`);
    if (n > 0) return false;
    for (const f of DEMO.firms) {
      const [firm]: { id: string }[] = await m.query(
        `INSERT INTO firms (name, slug, status, contact_name, contact_email, phone, size, approved_at)
         VALUES ($1, $2, 'approved', $3, $4, '+1 555 0100', '2-5', now()) RETURNING id`,
        [f.name, f.slug, f.contact.name, f.contact.email],
      );
      const people = [{ ...f.contact, role: 'admin', clients: [] as string[] }, ...f.staff.map((s) => ({ ...s, role: 'staff' }))];
      const userIds: Record<string, string> = {};
      for (const p of people) {
        const [u]: { id: string }[] = await m.query(
          `INSERT INTO users (firm_id, email, name, role, password_hash, activated_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
          [firm.id, p.email, p.name, p.role, hash],
        );
        userIds[p.email] = u.id;
      }
      const clientIds: Record<string, string> = {};
      for (const name of f.clients) {
        const [c]: { id: string }[] = await m.query(`INSERT INTO clients (firm_id, name, ledger_connect) VALUES ($1, $2, $3) RETURNING id`, [
          firm.id,
          name,
          f.ledgerConnect.includes(name),
        ]);
        clientIds[name] = c.id;
      }
      for (const s of f.staff) {
        for (const clientName of s.clients) {
          await m.query(`INSERT INTO client_assignments (client_id, user_id, firm_id) VALUES ($1, $2, $3)`, [
            clientIds[clientName],
            userIds[s.email],
            firm.id,
          ]);
        }
      }
      for (const c of f.contacts) {
        const [contact]: { id: string }[] = await m.query(
          `INSERT INTO contacts (email) VALUES ($1) ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
          [c.email],
        );
        for (const clientName of c.clients) {
          await m.query(
            `INSERT INTO client_contacts (firm_id, client_id, contact_id, name, title, role, is_primary, invited_by)
             VALUES ($1, $2, $3, $4, $5, $6, NOT EXISTS (SELECT 1 FROM client_contacts WHERE client_id = $2 AND is_primary), $7)`,
            [firm.id, clientIds[clientName], contact.id, c.name, c.title, c.role, userIds[f.contact.email]],
          );
        }
      }
      await m.query(
        `INSERT INTO activity_log (firm_id, actor_name, action, summary) VALUES ($1, 'Ledgerport', 'demo.seeded', 'Demo data loaded')`,
        [firm.id],
      );
    }
    return true;
  });
}
