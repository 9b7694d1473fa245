import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Where `npm run build:h5` writes the H5 build of the mini-program. */
export const DEFAULT_H5_DIR = path.resolve(__dirname, '../../../miniprogram/dist/h5');

/**
 * Serves the H5 build (resident pages and the admins' web console) under /app/ when it exists.
 * The app uses browser history with basename /app, so every /app/… path that is not a file gets
 * index.html. Hashed js/css never change (a year, immutable); index.html is revalidated so a new
 * build shows at once. The build writes .br and .gz beside each text asset, sent to browsers that
 * accept them.
 */
export default async function h5App(app: FastifyInstance, opts: { root: string }) {
  if (!fs.existsSync(path.join(opts.root, 'index.html'))) {
    app.log.info({ root: opts.root }, 'no H5 build; /app/ is not served (run npm run build:h5)');
    return;
  }
  await app.register(fastifyStatic, {
    root: opts.root,
    prefix: '/app/',
    wildcard: false,
    index: false,
    preCompressed: true,
    // Ours, not send's (which would write max-age=0 over them).
    cacheControl: false,
    setHeaders: (res, filePath) => {
      const file = filePath.replace(/\.(br|gz)$/, '');
      res.setHeader('cache-control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
  const sendIndex = (_request: unknown, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', opts.root);
  app.get('/app', { schema: { hide: true } }, (_request, reply) => reply.redirect('/app/'));
  app.get('/app/', { schema: { hide: true } }, sendIndex);
  app.get('/app/*', { schema: { hide: true } }, sendIndex);
}
