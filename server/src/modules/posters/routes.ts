import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import archiver from 'archiver';
import { IdParams, PosterArchiveQuery, PosterQuery, errorResponses } from '@mashangshang/shared';
import { allPosters, studioPoster } from './service';
import { posterPng, postersPdf } from './render';
import { AppError } from '../../errors';

const security = [{ bearerAuth: [] }];
const binary = { type: 'string', format: 'binary' } as const;

/** Printable posters: one studio as PDF or PNG, or every studio in one PDF or a ZIP archive. */
const posterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ models: app.models, redis: app.redis, wechat: app.wechat, config: app.config });

  app.get(
    '/admin/studios/:id/poster',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminGetStudioPoster',
        tags: ['admin'],
        summary:
          '工作室海报（A4）：名称、镇街或界别、委员、特色服务项目、小程序码与“码上商”邀请；PDF 供打印，PNG 供微信群',
        security,
        params: IdParams,
        querystring: PosterQuery,
        response: {
          200: {
            description: 'PDF 或 PNG',
            content: { 'application/pdf': { schema: binary }, 'image/png': { schema: binary } },
          },
          ...errorResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const poster = await studioPoster(deps(), request.params.id);
      const png = request.query.format === 'png';
      const body = png ? await posterPng(poster) : await postersPdf([poster]);
      return reply
        .header('content-type', png ? 'image/png' : 'application/pdf')
        .header('content-disposition', `attachment; filename="poster-${poster.code}.${png ? 'png' : 'pdf'}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  app.get(
    '/admin/posters',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminExportPosters',
        tags: ['admin'],
        summary:
          '批量下载在用工作室的海报（可只要某镇街或界别）：一个 PDF（每个工作室一页），或 ZIP（每个工作室的 PDF 与 PNG，另含合集 PDF）',
        security,
        querystring: PosterArchiveQuery,
        response: {
          200: {
            description: 'PDF 或 ZIP',
            content: { 'application/pdf': { schema: binary }, 'application/zip': { schema: binary } },
          },
          ...errorResponses(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      // Everything that can fail (WeChat, the font) happens before the first byte is sent.
      const posters = await allPosters(deps(), { town: request.query.town, sector: request.query.sector });
      if (posters.length === 0)
        throw new AppError('STUDIO_NOT_FOUND', {
          logMessage: 'no active studio matches',
          userMessage: '没有符合条件的在用工作室',
        });
      const all = await postersPdf(posters);
      if (request.query.format !== 'zip') {
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', 'attachment; filename="posters.pdf"')
          .header('cache-control', 'no-store')
          .send(all);
      }
      const archive = archiver('zip', { zlib: { level: 6 } });
      archive.on('warning', (error) => request.log.warn({ reason: error.message }, 'poster archive warning'));
      archive.on('error', (error) => request.log.error({ err: error }, 'poster archive failed'));
      void (async () => {
        try {
          archive.append(all, { name: 'posters.pdf' });
          for (const poster of posters) {
            archive.append(await postersPdf([poster]), { name: `${poster.code}-${poster.name}.pdf` });
            archive.append(await posterPng(poster), { name: `${poster.code}-${poster.name}.png` });
          }
          await archive.finalize();
        } catch (error) {
          archive.destroy(error as Error);
        }
      })();
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', 'attachment; filename="posters.zip"')
        .header('cache-control', 'no-store')
        .send(archive);
    },
  );
};

export default posterRoutes;
