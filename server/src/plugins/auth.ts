import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { Role } from '@mashangshang/shared';
import { AppError } from '../errors';
import { resolveActor, type Actor, type TokenPayload } from '../modules/auth/actor';

const REVOKED_PREFIX = 'revoked-token:';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenPayload;
    user: TokenPayload;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireRole`: the caller as the database knows them now. */
    actor: Actor;
  }
  interface FastifyInstance {
    /** preHandler: the request must carry a valid token. */
    authenticate: preHandlerHookHandler;
    /** preHandler: a valid token of a current account in one of these roles; sets `request.actor`. */
    requireRole: (...roles: Role[]) => preHandlerHookHandler;
    signToken: (payload: TokenPayload) => string;
    /** Denies this token from now until it would have expired anyway. */
    revokeToken: (payload: TokenPayload) => Promise<void>;
  }
}

export default fp(
  async function authPlugin(app: FastifyInstance, opts: { secret: string; ttlSeconds: number }) {
    app.decorateRequest('actor', null as unknown as Actor);
    await app.register(fastifyJwt, {
      secret: opts.secret,
      sign: { algorithm: 'HS256', expiresIn: opts.ttlSeconds },
      verify: { algorithms: ['HS256'] },
    });

    async function authenticate(request: FastifyRequest) {
      if (!request.headers.authorization) throw new AppError('UNAUTHORIZED', { logMessage: 'no authorization header' });
      await request.jwtVerify();
      const { jti } = request.user;
      if (jti) {
        // A revocation list that cannot be read (Redis down) does not lock everybody out.
        const revoked = await app.redis.exists(`${REVOKED_PREFIX}${jti}`).catch((error: Error) => {
          request.log.warn({ reason: error.message }, 'revocation list unavailable; token accepted');
          return 0;
        });
        if (revoked) throw new AppError('UNAUTHORIZED', { logMessage: 'token revoked' });
      }
    }

    app.decorate('authenticate', async function (request: FastifyRequest, _reply: FastifyReply) {
      await authenticate(request);
    } as preHandlerHookHandler);

    app.decorate('requireRole', (...roles: Role[]) => {
      return async function (request: FastifyRequest, _reply: FastifyReply) {
        await authenticate(request);
        const actor = await resolveActor(app.models, request.user);
        if (!actor) throw new AppError('UNAUTHORIZED', { logMessage: 'token names no current account' });
        if (!roles.includes(actor.role)) {
          throw new AppError('FORBIDDEN', { logMessage: `role ${actor.role} is not one of ${roles.join(',')}` });
        }
        request.actor = actor;
      } as preHandlerHookHandler;
    });

    app.decorate('signToken', (payload: TokenPayload) =>
      app.jwt.sign({ sub: payload.sub, role: payload.role, jti: randomUUID() }),
    );
    app.decorate('revokeToken', async (payload: TokenPayload) => {
      if (!payload.jti) return;
      const secondsLeft = Math.max(
        1,
        (payload.exp ?? Math.floor(Date.now() / 1000) + opts.ttlSeconds) - Math.floor(Date.now() / 1000),
      );
      await app.redis.set(`${REVOKED_PREFIX}${payload.jti}`, '1', 'EX', secondsLeft);
    });
  },
  { name: 'auth', dependencies: ['mongo', 'redis'] },
);
