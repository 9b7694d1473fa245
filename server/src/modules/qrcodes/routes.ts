import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, StudioCodeQuery, errorResponses } from '@mashangshang/shared';
import { studioH5Code, studioMiniProgramCode } from './service';

/** Studio codes for the door, notice boards and WeChat groups. */
const studioCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/studios/:id/qrcode',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminGetStudioCode',
        tags: ['admin'],
        summary: '工作室小程序码（PNG，scene 内含工作室编码）；type=h5 时为 H5 链接二维码',
        description: '小程序码通过微信 getwxacodeunlimit 生成，按工作室、页面和宽度缓存，同一规格只向微信请求一次。',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        querystring: StudioCodeQuery,
        response: {
          200: { description: 'PNG 图片', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } },
          ...errorResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const width = request.query.width ?? 430;
      const deps = { models: app.models, redis: app.redis, wechat: app.wechat, config: app.config };
      const image =
        request.query.type === 'h5'
          ? await studioH5Code(deps, request.params.id, width)
          : await studioMiniProgramCode(deps, request.params.id, width);
      return reply
        .header('content-type', 'image/png')
        .header('content-length', String(image.png.length))
        .header('cache-control', 'private, max-age=300')
        .header('content-disposition', `inline; filename="${image.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .send(image.png);
    },
  );
};

export default studioCodeRoutes;
