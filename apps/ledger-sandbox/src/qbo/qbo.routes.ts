import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';

/** Placeholder: the Qbo routes are being written. */
export async function registerQbo(_app: FastifyInstance, _ctx: SandboxContext): Promise<void> {}
