import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AdminMember,
  AdminMemberCreateBody,
  AdminMemberList,
  AdminMemberListQuery,
  AdminMemberPatchBody,
  IdParams,
  errorResponses,
} from '@mashangshang/shared';
import { createMember, listMembers, updateMember } from './admin-service';
import { withDocumentLock } from '../../lib/document-lock';
import { memberLockKey } from '../invites/service';

/** The CPPCC office manages member records; a member's phone is stored encrypted and shown masked. */
const adminMemberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/members',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminListMembers',
        tags: ['admin'],
        summary: '委员列表（可按工作室筛选、按姓名搜索）',
        security: [{ bearerAuth: [] }],
        querystring: AdminMemberListQuery,
        response: { 200: AdminMemberList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listMembers(app.models, app.fieldCipher, request.query),
  );

  app.post(
    '/admin/members',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminCreateMember',
        tags: ['admin'],
        summary: '新增委员',
        security: [{ bearerAuth: [] }],
        body: AdminMemberCreateBody,
        response: { 201: AdminMember, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const member = await createMember(app.models, app.fieldCipher, request.body);
      return reply.status(201).send(member);
    },
  );

  app.patch(
    '/admin/members/:id',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminUpdateMember',
        tags: ['admin'],
        summary: '修改委员信息（停用后立即失去委员端权限）',
        security: [{ bearerAuth: [] }],
        params: IdParams,
        body: AdminMemberPatchBody,
        response: { 200: AdminMember, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) =>
      withDocumentLock(app.redis, memberLockKey(request.params.id), () =>
        updateMember(app.models, app.fieldCipher, request.params.id, request.body),
      ),
  );
};

export default adminMemberRoutes;
