import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';

/** Placeholder: the control API is being written. */
export async function registerControl(_app: FastifyInstance, _ctx: SandboxContext): Promise<void> {}
