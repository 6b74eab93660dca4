import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';

/** Placeholder: the Xero routes are being written. */
export async function registerXero(_app: FastifyInstance, _ctx: SandboxContext): Promise<void> {}
