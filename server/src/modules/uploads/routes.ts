import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  UPLOAD_CONTENT_TYPES,
  UploadParams,
  UploadResponse,
  UploadSignedQuery,
  errorResponses,
} from '@mashangshang/shared';
import { AppError } from '../../errors';
import { countAttempt } from '../../lib/attempt-limit';
import { isDependencyDown } from '../../plugins/errors';
import { resolveActor } from '../auth/actor';
import { UPLOADS_PER_HOUR, canSeeUpload, findUpload, storeUpload, uploadRateLimitKey } from './service';
import { askMediaCheckLater, mediaCheckState } from '../media-check/service';

/** How long a browser or the WeChat client may keep an image it fetched (ids never change content). */
const IMAGE_CACHE_SECONDS = 3600;

const binaryImage = { type: 'string', format: 'binary' } as const;

/**
 * The one file of a multipart request, fully read (at most 5 MB, enforced while streaming).
 * Multipart limits and parse failures become stable codes instead of the library's errors.
 */
async function readSingleFile(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { logMessage: 'upload is not multipart/form-data' });
  }
  let data: Buffer | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (data) throw new AppError('UPLOAD_TOO_MANY_FILES', { statusCode: 400, logMessage: 'more than one file part' });
      data = await part.toBuffer();
    }
  } catch (error) {
    if (error instanceof AppError || isDependencyDown(error)) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('UPLOAD_TOO_LARGE', { statusCode: 413, logMessage: 'upload over 5 MB' });
    if (code === 'FST_FILES_LIMIT')
      throw new AppError('UPLOAD_TOO_MANY_FILES', { statusCode: 400, logMessage: 'more than one file part' });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw new AppError('PAYLOAD_TOO_LARGE', { logMessage: `multipart ${code}` });
    // Anything else raised while parsing is a malformed body (bad boundary, truncated part...).
    throw new AppError('VALIDATION_FAILED', { logMessage: `malformed multipart body: ${(error as Error).message}` });
  }
  if (!data)
    throw new AppError('UPLOAD_FILE_MISSING', { statusCode: 400, logMessage: 'multipart body has no file part' });
  return data;
}

const uploadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/uploads',
    {
      preHandler: app.requireRole('resident', 'member', 'admin'),
      schema: {
        operationId: 'createUpload',
        tags: ['uploads'],
        summary: '上传一张图片（JPG/PNG/WebP，不超过 5 MB），返回图片标识和带签名的地址',
        description:
          'multipart/form-data，仅含一个文件字段（小程序 Taro.uploadFile 的 name 建议为 file）。图片格式按文件内容识别。每人每小时最多 60 张。',
        consumes: ['multipart/form-data'],
        security: [{ bearerAuth: [] }],
        // Documents the form for OpenAPI; with no `type`, validation passes the (undefined) parsed body.
        body: {
          content: {
            'multipart/form-data': { schema: { properties: { file: { ...binaryImage, description: '图片文件' } } } },
          },
        },
        response: { 201: UploadResponse, ...errorResponses(400, 401, 403, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      // Counted before the body is read, so rejected uploads count too: the limit is on effort, not success.
      await countAttempt(app.redis, uploadRateLimitKey(actor), UPLOADS_PER_HOUR, 3600);
      const data = await readSingleFile(request);
      const upload = await storeUpload(app.models, app.uploadStorage, actor, data);
      request.log.info(
        { uploadId: upload._id.toHexString(), size: upload.size, contentType: upload.contentType },
        'upload stored',
      );
      if ((await mediaCheckState(app.models, upload._id)) === 'pending') {
        askMediaCheckLater(
          {
            models: app.models,
            redis: app.redis,
            queues: app.queues,
            wechat: app.wechat,
            config: app.config,
            log: request.log,
          },
          upload._id,
        );
      }
      const id = upload._id.toHexString();
      return reply.status(201).send({ id, url: app.uploadUrls.sign(id) });
    },
  );

  app.get(
    '/uploads/:id',
    {
      schema: {
        operationId: 'getUpload',
        tags: ['uploads'],
        summary: '获取图片内容（登录令牌或带签名的地址）',
        description:
          '小程序 <image> 无法携带 Authorization 头，因此可用上传或留言详情返回的带签名地址（exp、sig）直接访问；也可使用登录令牌。上传者本人、以及能查看其所属留言的人可以查看，其他人一律返回 404。',
        params: UploadParams,
        querystring: UploadSignedQuery,
        security: [{ bearerAuth: [] }, {}],
        response: {
          200: {
            description: '图片二进制内容',
            content: Object.fromEntries(UPLOAD_CONTENT_TYPES.map((type) => [type, { schema: binaryImage }])),
          },
          ...errorResponses(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { exp, sig } = request.query;
      const signed = exp !== undefined && sig !== undefined && app.uploadUrls.verify(id, exp, sig);

      const notFound = () => new AppError('NOT_FOUND', { logMessage: 'upload missing or not visible to caller' });
      let maxAge = IMAGE_CACHE_SECONDS;
      const upload = await (async () => {
        if (signed) {
          maxAge = Math.min(IMAGE_CACHE_SECONDS, Math.max(0, Number(exp) - Math.floor(Date.now() / 1000)));
          return findUpload(app.models, id);
        }
        if (!request.headers.authorization) {
          // A bad or expired signature looks like a missing image; no credentials at all asks to sign in.
          if (exp !== undefined || sig !== undefined) throw notFound();
          throw new AppError('UNAUTHORIZED', { logMessage: 'no token and no signature' });
        }
        await request.jwtVerify();
        const actor = await resolveActor(app.models, request.user);
        if (!actor) throw new AppError('UNAUTHORIZED', { logMessage: 'token names no current account' });
        const found = await findUpload(app.models, id);
        return found && (await canSeeUpload(app.models, actor, found)) ? found : null;
      })();
      if (!upload) throw notFound();

      const stream = await app.uploadStorage.get(upload.storageKey);
      if (!stream) {
        request.log.warn({ uploadId: id }, 'upload record without stored bytes');
        throw notFound();
      }
      return (
        reply
          .header('content-type', upload.contentType)
          .header('content-length', String(upload.size))
          .header('cache-control', `private, max-age=${maxAge}`)
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', 'inline')
          // The H5 build and console may be served from another origin; access is guarded by token/signature.
          .header('cross-origin-resource-policy', 'cross-origin')
          .send(stream)
      );
    },
  );
};

export default uploadRoutes;
