import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AdminStudioCreateBody,
  AdminStudioDetail,
  AdminStudioList,
  AdminStudioListQuery,
  AdminStudioPatchBody,
  IdParams,
  StudioDetail,
  errorResponses,
} from '@mashangshang/shared';
import { createStudio, updateStudio } from './admin-service';
import { withDocumentLock } from '../../lib/document-lock';
import { getStudioForAdmin, listStudiosForAdmin } from './service';

/** The CPPCC office creates and edits studios from the web console. */
const adminStudioRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/studios',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminListStudios',
        tags: ['admin'],
        summary: '管理端工作室列表（含已停用的，可按状态、镇街、界别筛选，按名称搜索）',
        security: [{ bearerAuth: [] }],
        querystring: AdminStudioListQuery,
        response: { 200: AdminStudioList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listStudiosForAdmin(app.models, request.query),
  );

  app.get(
    '/admin/studios/:id',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminGetStudio',
        tags: ['admin'],
        summary: '管理端工作室详情（含已停用的，带编码和状态）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        response: { 200: AdminStudioDetail, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => getStudioForAdmin(app.models, request.params.id),
  );

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
    async (request) =>
      withDocumentLock(app.redis, `studio:${request.params.id}`, () =>
        updateStudio(app.models, request.actor, request.params.id, request.body),
      ),
  );
};

export default adminStudioRoutes;
