import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { signUploadUrl, verifyUploadSignature } from '../../lib/upload-signing';
import { createLocalDiskStorage, type UploadStorage } from './storage';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where upload bytes are kept (local disk under DATA_DIR/uploads today). */
    uploadStorage: UploadStorage;
    /** Signed image URLs bound to this server's secret (see ./signing). */
    uploadUrls: {
      /** `/api/v1/uploads/<id>?exp=..&sig=..`, valid for `ttlSeconds` (default one hour). */
      sign(uploadId: string | { toHexString(): string }, ttlSeconds?: number): string;
      verify(uploadId: string, exp: string, sig: string): boolean;
    };
  }
}

interface UploadsPluginOptions {
  /** Folder for the local-disk storage, normally `<DATA_DIR>/uploads`. */
  rootDir: string;
  /** Secret the URL signatures derive from (JWT_SECRET). */
  secret: string;
  /** Another storage (object storage, a test double); when given, `rootDir` is unused. */
  storage?: UploadStorage;
}

export default fp(
  async function uploadsPlugin(app: FastifyInstance, opts: UploadsPluginOptions) {
    app.decorate('uploadStorage', opts.storage ?? createLocalDiskStorage(opts.rootDir));
    app.decorate('uploadUrls', {
      sign: (uploadId: string | { toHexString(): string }, ttlSeconds?: number) =>
        signUploadUrl(opts.secret, typeof uploadId === 'string' ? uploadId : uploadId.toHexString(), ttlSeconds),
      verify: (uploadId: string, exp: string, sig: string) => verifyUploadSignature(opts.secret, uploadId, exp, sig),
    });
  },
  { name: 'uploads' },
);
