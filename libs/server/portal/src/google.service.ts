import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { generators, Issuer, type Client } from 'openid-client';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { REDIS } from '@ledgerport/server/jobs';
import { PortalErrorCode } from './portal.errors';

export type GoogleAudience = 'portal' | 'console';

export interface GoogleFlow {
  audience: GoogleAudience;
  slug?: string;
  /** The page to open once signed in: for the portal its path after `/<slug>/`, for the console after `/`. */
  next?: string;
  verifier: string;
  nonce: string;
}

export interface GoogleIdentity {
  email: string;
  subject: string;
  flow: GoogleFlow;
}

/** Why a Google sign-in did not happen, as a code the sign-in pages explain. */
export class GoogleSignInError extends Error {
  constructor(
    readonly code: 'GOOGLE_FAILED' | 'GOOGLE_EMAIL_UNVERIFIED' | 'GOOGLE_NOT_INVITED',
    readonly flow?: GoogleFlow,
  ) {
    super(code);
  }
}

const FLOW_TTL_SECONDS = 600;

/**
 * Sign in with Google: OpenID Connect authorization code flow with PKCE (S256), state and nonce.
 * The issuer is configurable (GOOGLE_ISSUER_URL) so tests use a local OpenID provider. The flow's
 * secrets wait in Redis under the state for 10 minutes; the browser holds the state in a cookie,
 * so a callback that did not start in this browser is refused.
 */
@Injectable()
export class GoogleService {
  private readonly logger = new Logger(GoogleService.name);
  private client?: Promise<Client>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  get enabled(): boolean {
    return this.config.googleEnabled;
  }

  get redirectUri(): string {
    return `${this.config.APP_URL.replace(/\/$/, '')}/api/v1/auth/google/callback`;
  }

  /** The provider's authorization URL and the state to keep in the browser's cookie. */
  async start(audience: GoogleAudience, slug?: string, next?: string): Promise<{ url: string; state: string }> {
    if (!this.enabled) {
      throw new AppException(HttpStatus.NOT_FOUND, PortalErrorCode.GOOGLE_NOT_CONFIGURED, 'Sign in with Google is not available here.');
    }
    const client = await this.oidcClient().catch((err: Error) => {
      this.logger.error({ err: err.message }, 'Google sign-in: the OpenID provider could not be reached');
      throw new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'GOOGLE_UNAVAILABLE', 'Google sign-in is not reachable right now. Try again in a minute, or use another way to sign in.');
    });
    const state = generators.state();
    const flow: GoogleFlow = { audience, slug, next, verifier: generators.codeVerifier(), nonce: generators.nonce() };
    await this.redis.set(this.key(state), JSON.stringify(flow), 'EX', FLOW_TTL_SECONDS);
    const url = client.authorizationUrl({
      scope: 'openid email profile',
      redirect_uri: this.redirectUri,
      code_challenge: generators.codeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state,
      nonce: flow.nonce,
      prompt: 'select_account',
    });
    return { url, state };
  }

  /** Completes the flow: exchanges the code, checks state, nonce and PKCE, and returns the verified email. */
  async finish(query: Record<string, string | undefined>, cookieState: string | undefined): Promise<GoogleIdentity> {
    const state = query.state;
    if (!state || !cookieState || state !== cookieState) throw new GoogleSignInError('GOOGLE_FAILED');
    const raw = await this.redis.getdel(this.key(state));
    if (!raw) throw new GoogleSignInError('GOOGLE_FAILED');
    const flow = JSON.parse(raw) as GoogleFlow;
    if (query.error) throw new GoogleSignInError('GOOGLE_FAILED', flow);
    try {
      const client = await this.oidcClient();
      const tokens = await client.callback(this.redirectUri, client.callbackParams(`/?${new URLSearchParams(query as Record<string, string>)}`), {
        state,
        nonce: flow.nonce,
        code_verifier: flow.verifier,
        response_type: 'code',
      });
      const claims = tokens.claims();
      if (!claims.email || claims.email_verified !== true) throw new GoogleSignInError('GOOGLE_EMAIL_UNVERIFIED', flow);
      return { email: String(claims.email).toLowerCase(), subject: claims.sub, flow };
    } catch (err) {
      if (err instanceof GoogleSignInError) throw err;
      this.logger.warn({ err: (err as Error).message }, 'Google sign-in: the callback was refused');
      throw new GoogleSignInError('GOOGLE_FAILED', flow);
    }
  }

  private key(state: string): string {
    return `${this.config.REDIS_PREFIX}:oidc:${state}`;
  }

  private oidcClient(): Promise<Client> {
    this.client ??= Issuer.discover(this.config.GOOGLE_ISSUER_URL)
      .then(
        (issuer) =>
          new issuer.Client({
            client_id: this.config.GOOGLE_CLIENT_ID as string,
            client_secret: this.config.GOOGLE_CLIENT_SECRET as string,
            redirect_uris: [this.redirectUri],
            response_types: ['code'],
          }),
      )
      .catch((err: unknown) => {
        this.client = undefined; // try discovery again next time
        throw err;
      });
    return this.client;
  }
}
