import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { Clock, hashToken, newToken } from '@ledgerport/server/access';
import { FIRM_BRAND_COLUMNS, type FirmBrandRow } from './brand';
import { PortalErrorCode } from './portal.errors';

export type ContactTokenPurpose = 'sign_in' | 'invite' | 'reset';

/** Sign-in links last 6 hours, the sign-in link in an invitation 7 days, a password reset 1 hour. */
export const CONTACT_TOKEN_LIFETIME_MINUTES: Record<ContactTokenPurpose, number> = {
  sign_in: 6 * 60,
  invite: 7 * 24 * 60,
  reset: 60,
};

/** A new link of a purpose supersedes every older unused link of these purposes. */
const SUPERSEDES: Record<ContactTokenPurpose, ContactTokenPurpose[]> = {
  sign_in: ['sign_in', 'invite'],
  invite: ['sign_in', 'invite'],
  reset: ['reset'],
};

export interface ContactTokenInfo extends FirmBrandRow {
  tokenId: string;
  purpose: ContactTokenPurpose;
  contactId: string;
  email: string;
  clientId: string;
  businessName: string;
  name: string;
}

interface TokenRow extends FirmBrandRow {
  id: string;
  purpose: ContactTokenPurpose;
  contact_id: string;
  email: string;
  client_id: string;
  business_name: string;
  name: string | null;
  expired: boolean;
  used_at: Date | null;
  superseded_at: Date | null;
  membership_ok: boolean;
}

/**
 * The emailed links of client contacts. Only the token's HMAC is stored; a link is single use;
 * issuing a new one supersedes the older ones; expiry is judged by the (test-movable) Clock.
 */
@Injectable()
export class ContactTokensService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * A new link. `keepOthers`: the person did not ask for this one (a question digest or reminder
   * carries it), so the link they may have just asked for, or their invitation, stays good.
   */
  async issue(m: EntityManager, contactId: string, clientId: string, purpose: ContactTokenPurpose, opts: { keepOthers?: boolean } = {}): Promise<string> {
    const now = this.clock.now();
    if (!opts.keepOthers) {
      await m.query(
        `UPDATE contact_tokens SET superseded_at = $3
          WHERE contact_id = $1 AND purpose = ANY($2::text[]) AND used_at IS NULL AND superseded_at IS NULL`,
        [contactId, SUPERSEDES[purpose], now],
      );
    }
    const token = newToken();
    await m.query(
      `INSERT INTO contact_tokens (contact_id, client_id, purpose, token_hash, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $5::timestamptz + make_interval(mins => $6))`,
      [contactId, clientId, purpose, hashToken(this.config.SESSION_SECRET, token), now, CONTACT_TOKEN_LIFETIME_MINUTES[purpose]],
    );
    return token;
  }

  /**
   * Looks a link up and throws the precise reason it cannot be used. Sign-in links ('sign_in',
   * 'invite') answer LINK_* codes, reset links TOKEN_* codes. `forUpdate` locks the row.
   */
  async inspect(m: EntityManager, token: string, kind: 'sign-in' | 'reset', forUpdate = false): Promise<ContactTokenInfo> {
    const purposes: ContactTokenPurpose[] = kind === 'reset' ? ['reset'] : ['sign_in', 'invite'];
    const rows: TokenRow[] =
      token && token.length <= 100
        ? await m.query(
            `SELECT t.id, t.purpose, t.contact_id, k.email, t.client_id, c.name AS business_name, cc.name,
                    t.expires_at <= $3 AS expired, t.used_at, t.superseded_at,
                    (cc.status <> 'deactivated' AND c.status = 'active' AND f.status = 'approved') AS membership_ok,
                    ${FIRM_BRAND_COLUMNS}
               FROM contact_tokens t
               JOIN contacts k ON k.id = t.contact_id
               JOIN clients c ON c.id = t.client_id
               JOIN firms f ON f.id = c.firm_id
               LEFT JOIN client_contacts cc ON cc.client_id = t.client_id AND cc.contact_id = t.contact_id
              WHERE t.token_hash = $1 AND t.purpose = ANY($2::text[]) ${forUpdate ? 'FOR UPDATE OF t' : ''}`,
            [hashToken(this.config.SESSION_SECRET, token), purposes, this.clock.now()],
          )
        : [];
    const r = rows[0];
    const codes =
      kind === 'reset'
        ? { invalid: PortalErrorCode.TOKEN_INVALID, used: PortalErrorCode.TOKEN_USED, expired: PortalErrorCode.TOKEN_EXPIRED, superseded: PortalErrorCode.TOKEN_SUPERSEDED }
        : { invalid: PortalErrorCode.LINK_INVALID, used: PortalErrorCode.LINK_USED, expired: PortalErrorCode.LINK_EXPIRED, superseded: PortalErrorCode.LINK_SUPERSEDED };
    const what = kind === 'reset' ? 'password link' : 'sign-in link';
    if (!r || !r.membership_ok) {
      throw new AppException(
        HttpStatus.NOT_FOUND,
        codes.invalid,
        `This ${what} is not valid. Check that you opened the whole link from the email, or ask for a new one.`,
        r ? { firmSlug: r.firm_slug } : undefined,
      );
    }
    const details = { firmSlug: r.firm_slug, email: r.email };
    if (r.used_at) {
      throw new AppException(HttpStatus.GONE, codes.used, `This ${what} has already been used. Each link works once: ask for a new one.`, details);
    }
    if (r.superseded_at) {
      throw new AppException(
        HttpStatus.GONE,
        codes.superseded,
        `A newer ${what} was sent after this one, so this one no longer works. Use the most recent email, or ask for a new link.`,
        details,
      );
    }
    if (r.expired) {
      const lasts = r.purpose === 'reset' ? '1 hour' : r.purpose === 'invite' ? '7 days' : '6 hours';
      throw new AppException(HttpStatus.GONE, codes.expired, `This ${what} has expired (links last ${lasts}). Ask for a new one.`, details);
    }
    return {
      ...r,
      tokenId: r.id,
      purpose: r.purpose,
      contactId: r.contact_id,
      email: r.email,
      clientId: r.client_id,
      businessName: r.business_name,
      name: r.name ?? r.email,
    };
  }

  async consume(m: EntityManager, tokenId: string): Promise<void> {
    await m.query(`UPDATE contact_tokens SET used_at = $2 WHERE id = $1`, [tokenId, this.clock.now()]);
  }
}
