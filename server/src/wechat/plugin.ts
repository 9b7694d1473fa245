import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createWechatClient, type WechatClient } from './client';
import type { Config } from '../config';

declare module 'fastify' {
  interface FastifyInstance {
    wechat: WechatClient;
  }
}

export default fp(
  async function wechatPlugin(app: FastifyInstance, opts: { wechat: Config['wechat'] }) {
    app.decorate('wechat', createWechatClient({ ...opts.wechat, redis: app.redis }));
  },
  { name: 'wechat', dependencies: ['redis'] },
);
