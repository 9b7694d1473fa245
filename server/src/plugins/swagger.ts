import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** The OpenAPI document is generated from the same TypeBox schemas the routes validate with. */
export default fp(
  async function swaggerPlugin(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: '码上商 API',
          description: '政协委员工作室“码上商”小程序与管理后台的 HTTP 接口',
          version: '1.0.0',
        },
        // The document is served by the API it describes, whose paths already carry /api/v1 (and /healthz
        // sits at the root): the server is the same origin, at its root (docs/deploy.md proxies `location /`).
        servers: [{ url: '/', description: '提供本文档的同一地址' }],
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        tags: [
          { name: 'health', description: '健康检查' },
          { name: 'auth', description: '登录与身份' },
          { name: 'studios', description: '委员工作室' },
          { name: 'tickets', description: '群众留言（工单）' },
          { name: 'uploads', description: '图片上传' },
          { name: 'notifications', description: '订阅消息授权与站内消息' },
          { name: 'admin', description: '政协机关管理' },
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
