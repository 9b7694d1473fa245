import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminStudioCreateBody, AdminStudioPatchBody, IdParams, StudioDetail, errorResponses } from '@mashangshang/shared';
import { createStudio, updateStudio } from './admin-service';
import { withDocumentLock } from '../../lib/document-lock';

/** The CPPCC office creates and edits studios from the web console. */
const adminStudioRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/admin/studios',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminCreateStudio',
        tags: ['admin'],
        summary: '新建委员工作室（不填编码时自动生成）',
        security: [{ bearerAuth: [] }],
        body: AdminStudioCreateBody,
        response: { 201: StudioDetail, ...errorResponses(400, 401, 403, 409, 503) },
      },
    },
    async (request, reply) => {
      const studio = await createStudio(app.models, request.body);
      return reply.status(201).send(studio);
    },
  );

  app.patch(
    '/admin/studios/:id',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminUpdateStudio',
        tags: ['admin'],
        summary: '修改委员工作室信息（可停用；修改星级须同时填写 starReason，作为人工调整记入星级变更记录）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        body: AdminStudioPatchBody,
        response: { 200: StudioDetail, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => withDocumentLock(app.redis, `studio:${request.params.id}`, () => updateStudio(app.models, request.actor, request.params.id, request.body)),
  );
};

export default adminStudioRoutes;
