import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createFieldCipher, type FieldCipher } from '../lib/crypto';

declare module 'fastify' {
  interface FastifyInstance {
    /** Encrypts personal data (phone numbers) before it is stored; decrypts it for the few who may see it. */
    fieldCipher: FieldCipher;
  }
}

/** One cipher per app, built from the configured key (validated by config.ts). */
export default fp(
  async function fieldCipherPlugin(app: FastifyInstance, opts: { key: string }) {
    app.decorate('fieldCipher', createFieldCipher(opts.key));
  },
  { name: 'field-cipher' },
);
