import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiFoundResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponseDto, SESSION_COOKIE, SessionStore } from '@ledgerport/server/access';
import { AuthService } from '@ledgerport/server/auth';
import { FirmsService } from '@ledgerport/server/firms';
import { ContactSessionStore, PORTAL_COOKIE } from './contact-session.store';
import { GoogleStartQuery } from './dto/portal.dto';
import { GoogleService, GoogleSignInError, type GoogleFlow } from './google.service';
import { PortalAuthService } from './portal-auth.service';

const STATE_COOKIE = 'lp_oidc_state';
const CALLBACK_PATH = '/api/v1/auth/google/callback';

@ApiTags('auth')
@Controller('api/v1/auth/google')
export class GoogleController {
  constructor(
    private readonly google: GoogleService,
    private readonly portalAuth: PortalAuthService,
    private readonly staffAuth: AuthService,
    private readonly contactSessions: ContactSessionStore,
    private readonly staffSessions: SessionStore,
    private readonly firms: FirmsService,
  ) {}

  @Get('start')
  @ApiOperation({ summary: 'Start Sign in with Google (browser navigation): redirects to the provider' })
  @ApiFoundResponse({ description: 'Redirect to the OpenID provider' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'GOOGLE_NOT_CONFIGURED, or FIRM_NOT_FOUND for the portal of an unknown firm' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  async start(@Query() q: GoogleStartQuery, @Res() reply: FastifyReply): Promise<void> {
    // 404 FIRM_NOT_FOUND for an unknown or pending firm (the DTO requires the slug for the portal).
    if (q.for === 'portal') await this.firms.publicFirm(q.slug as string);
    const { url, state } = await this.google.start(q.for, q.for === 'portal' ? q.slug : undefined, q.next);
    void reply.setCookie(STATE_COOKIE, state, { ...this.staffSessions.cookieOptions(), path: CALLBACK_PATH, maxAge: 600 });
    await reply.redirect(url, 302);
  }

  @Get('callback')
  @ApiOperation({ summary: 'Where the provider returns; signs in an invited person and redirects to the console or portal' })
  @ApiFoundResponse({ description: 'Redirect to the signed-in home, or back to the sign-in page with ?signInError=CODE' })
  async callback(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = req.query as Record<string, string | undefined>;
    const meta = { ip: req.ip, userAgent: req.headers['user-agent'] };
    void reply.clearCookie(STATE_COOKIE, { path: CALLBACK_PATH });
    let flow: GoogleFlow | undefined;
    try {
      const id = await this.google.finish(query, req.cookies?.[STATE_COOKIE]);
      flow = id.flow;
      if (flow.audience === 'portal' && flow.slug) {
        const signedIn = await this.portalAuth.signInVerified(id.email, id.subject, flow.slug, meta);
        if (!signedIn) throw new GoogleSignInError('GOOGLE_NOT_INVITED', flow);
        void reply.setCookie(PORTAL_COOKIE, signedIn.token, this.contactSessions.cookieOptions(signedIn.expiresAt));
        const business = signedIn.session.businesses.find((b) => b.id === signedIn.session.currentBusinessId);
        const slug = business?.firm.slug ?? flow.slug;
        // The page the person set out for (checked against PORTAL_NEXT_PATTERN at the start), else home.
        const page = flow.next && slug === flow.slug ? flow.next : 'home';
        await reply.redirect(`/portal/${encodeURIComponent(slug)}/${page}`, 302);
        return;
      }
      const signedIn = await this.staffAuth.signInVerified(id.email, id.subject, meta);
      if (!signedIn) throw new GoogleSignInError('GOOGLE_NOT_INVITED', flow);
      void reply.setCookie(SESSION_COOKIE, signedIn.token, this.staffSessions.cookieOptions(signedIn.expiresAt));
      await reply.redirect(`/${flow.next ?? ''}`, 302);
    } catch (err) {
      if (!(err instanceof GoogleSignInError)) throw err;
      const f = err.flow ?? flow;
      const back = f?.audience === 'portal' && f.slug ? `/portal/${encodeURIComponent(f.slug)}` : '/sign-in';
      // Back on the sign-in page, the person can try another way and still reach the page they wanted
      // (the console's sign-in page takes it with its leading slash).
      const page = f?.next ? (f.audience === 'portal' ? f.next : `/${f.next}`) : null;
      const next = page ? `&next=${encodeURIComponent(page)}` : '';
      await reply.redirect(`${back}?signInError=${err.code}${next}`, 302);
    }
  }
}
