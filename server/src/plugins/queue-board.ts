import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Type } from '@sinclair/typebox';
import { errorResponses } from '@mashangshang/shared';
import { AppError } from '../errors';
import { resolveActor } from '../modules/auth/actor';
import type { TokenPayload } from '../modules/auth/actor';

const QUEUE_BOARD_PATH = '/admin/queues';
const SESSION_COOKIE = 'mss_queue_board';
const SESSION_SECONDS = 3600;

/**
 * Bull Board (the queues' web UI) at /admin/queues, for admins only. A browser cannot add a bearer
 * header when it opens a page, so the console first calls POST /api/v1/admin/queues/session, which
 * sets a short-lived HttpOnly cookie scoped to the board's path.
 */
function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export default fp(
  async function queueBoardPlugin(app: FastifyInstance) {
    app.post(
      '/api/v1/admin/queues/session',
      {
        preHandler: app.requireRole('admin'),
        schema: {
          operationId: 'openQueueBoard',
          tags: ['admin'],
          summary: '打开队列监控页面（设置仅限该页面的登录 Cookie）',
          security: [{ bearerAuth: [] }],
          response: { 200: Type.Object({ url: Type.String() }), ...errorResponses(401, 403, 503) },
        },
      },
      async (request, reply) => {
        const token = app.jwt.sign({ sub: String(request.actor.id), role: 'admin' }, { expiresIn: SESSION_SECONDS });
        // One cookie, set by hand: a JWT is already cookie-safe (base64url and dots).
        const secure = app.config.env === 'production' ? '; Secure' : '';
        reply.header(
          'set-cookie',
          `${SESSION_COOKIE}=${token}; Path=${QUEUE_BOARD_PATH}; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure}`,
        );
        return { url: `${QUEUE_BOARD_PATH}/` };
      },
    );

    const serverAdapter = new FastifyAdapter();
    createBullBoard({
      queues: [app.queues.notify, app.queues.deadlines, app.queues.maintenance, app.queues.operations].map(
        (queue) => new BullMQAdapter(queue, { readOnlyMode: false }),
      ),
      serverAdapter,
      options: { uiConfig: { boardTitle: '码上商 队列' } },
    });
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);

    await app.register(async (board) => {
      // The board's own routes stay out of the public API document.
      board.addHook('onRoute', (route) => {
        route.schema = { ...(route.schema ?? {}), hide: true } as typeof route.schema;
      });
      board.addHook('onRequest', async (request: FastifyRequest) => {
        const header = request.headers.authorization;
        const token = header?.startsWith('Bearer ')
          ? header.slice(7)
          : readCookie(request.headers.cookie, SESSION_COOKIE);
        if (!token) throw new AppError('UNAUTHORIZED', { logMessage: 'queue board without a session' });
        let payload: TokenPayload;
        try {
          payload = app.jwt.verify<TokenPayload>(token);
        } catch {
          throw new AppError('UNAUTHORIZED', { logMessage: 'queue board token invalid' });
        }
        const actor = await resolveActor(app.models, payload);
        if (!actor) throw new AppError('UNAUTHORIZED', { logMessage: 'queue board token names no account' });
        if (actor.role !== 'admin') throw new AppError('FORBIDDEN', { logMessage: 'queue board is for admins' });
      });
      await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
    });
  },
  { name: 'queue-board', dependencies: ['auth', 'queues'] },
);
