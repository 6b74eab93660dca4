import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import type { FastifyRequest } from 'fastify';
import { SESSION_COOKIE, SessionStore, type Principal } from './session.store';

/** Passport strategy "session": the httpOnly session cookie, checked against the sessions table. */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, 'session') {
  constructor(private readonly sessions: SessionStore) {
    super();
  }

  async validate(req: FastifyRequest): Promise<Principal | false> {
    const token = req.cookies?.[SESSION_COOKIE];
    if (!token) return false;
    return (await this.sessions.resolve(token)) ?? false;
  }
}
