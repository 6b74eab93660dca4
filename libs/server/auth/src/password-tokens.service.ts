import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { hashToken, newToken } from '@ledgerport/server/access';
import { AuthErrorCode } from './auth.errors';

export type PasswordTokenPurpose = 'invite' | 'reset';

const LIFETIME_MINUTES: Record<PasswordTokenPurpose, number> = { invite: 7 * 24 * 60, reset: 60 };

export interface PasswordTokenInfo {
  tokenId: string;
  purpose: PasswordTokenPurpose;
  userId: string;
  firmId: string;
  email: string;
  name: string;
  firmName: string;
}

interface TokenRow {
  id: string;
  purpose: PasswordTokenPurpose;
  user_id: string;
  firm_id: string;
  email: string;
  name: string;
  firm_name: string;
  expired: boolean;
  used_at: Date | null;
  superseded_at: Date | null;
}

/**
 * Single-use links that let a person set a password: an invitation (7 days) or a reset (1 hour).
 * Only the token's HMAC is stored; issuing a new link of a purpose supersedes the older ones.
 */
@Injectable()
export class PasswordTokensService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async issue(manager: EntityManager, user: { id: string; firmId: string }, purpose: PasswordTokenPurpose): Promise<string> {
    await manager.query(
      `UPDATE password_tokens SET superseded_at = now()
        WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND superseded_at IS NULL`,
      [user.id, purpose],
    );
    const token = newToken();
    await manager.query(
      `INSERT INTO password_tokens (user_id, firm_id, purpose, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
      [user.id, user.firmId, purpose, hashToken(this.config.SESSION_SECRET, token), LIFETIME_MINUTES[purpose]],
    );
    return token;
  }

  link(token: string): string {
    return `${this.config.APP_URL.replace(/\/$/, '')}/set-password?token=${encodeURIComponent(token)}`;
  }

  /** Looks a token up and throws the precise reason it cannot be used. `forUpdate` locks it. */
  async inspect(manager: EntityManager, token: string, forUpdate = false): Promise<PasswordTokenInfo> {
    const rows: TokenRow[] = token
      ? await manager.query(
          `SELECT t.id, t.purpose, t.user_id, t.firm_id, u.email, u.name, f.name AS firm_name,
                  t.expires_at <= now() AS expired, t.used_at, t.superseded_at
             FROM password_tokens t JOIN users u ON u.id = t.user_id JOIN firms f ON f.id = t.firm_id
            WHERE t.token_hash = $1 ${forUpdate ? 'FOR UPDATE OF t' : ''}`,
          [hashToken(this.config.SESSION_SECRET, token)],
        )
      : [];
    const r = rows[0];
    if (!r) {
      throw new AppException(
        HttpStatus.NOT_FOUND,
        AuthErrorCode.TOKEN_INVALID,
        'This link is not valid. Check that you copied the whole link from the email, or ask for a new one.',
      );
    }
    if (r.used_at) {
      throw new AppException(
        HttpStatus.GONE,
        AuthErrorCode.TOKEN_USED,
        r.purpose === 'invite'
          ? 'This invitation link has already been used. Sign in with your password, or reset it if you forgot it.'
          : 'This reset link has already been used. Sign in, or ask for a new reset link.',
      );
    }
    if (r.superseded_at) {
      throw new AppException(
        HttpStatus.GONE,
        AuthErrorCode.TOKEN_SUPERSEDED,
        'A newer link was sent after this one, so this one no longer works. Use the most recent email.',
      );
    }
    if (r.expired) {
      throw new AppException(
        HttpStatus.GONE,
        AuthErrorCode.TOKEN_EXPIRED,
        r.purpose === 'invite'
          ? 'This invitation link has expired. Ask your firm administrator to send a new one.'
          : 'This reset link has expired (they last one hour). Ask for a new one.',
      );
    }
    return {
      tokenId: r.id,
      purpose: r.purpose,
      userId: r.user_id,
      firmId: r.firm_id,
      email: r.email,
      name: r.name,
      firmName: r.firm_name,
    };
  }

  async consume(manager: EntityManager, tokenId: string): Promise<void> {
    await manager.query(`UPDATE password_tokens SET used_at = now() WHERE id = $1`, [tokenId]);
  }
}
