import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DutyProject,
  DutyProjectCreateBody,
  DutyProjectExportQuery,
  DutyProjectList,
  DutyProjectListQuery,
  DutyProjectPatchBody,
  IdParams,
  MemberProfile,
  ServiceItemExportQuery,
  errorResponses,
} from '@mashangshang/shared';
import { createProject, listProjects, memberProfile, projectFilter, toProject, updateProject } from './service';
import type { ProjectDoc } from '../../models/projects';
import { anyMemberState } from '../../models/members';
import { anyStudioState } from '../../models/studios';
import { exportResponse, sendTable } from '../../lib/tabular-export';
import { chinaTime } from '../notifications/templates';

const security = [{ bearerAuth: [] }];

/** Members' duty projects (履职项目) and the studios' service items (特色服务项目): managed, shown and exported. */
const projectRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/projects',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminListProjects',
        tags: ['admin'],
        summary: '委员履职项目列表（可按委员、工作室、年度、是否在用筛选）',
        security,
        querystring: DutyProjectListQuery,
        response: { 200: DutyProjectList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listProjects(app.models, request.query),
  );

  app.post(
    '/admin/projects',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminCreateProject',
        tags: ['admin'],
        summary: '登记委员履职项目',
        security,
        body: DutyProjectCreateBody,
        response: { 201: DutyProject, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => reply.status(201).send(await createProject(app.models, request.body)),
  );

  app.patch(
    '/admin/projects/:id',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminUpdateProject',
        tags: ['admin'],
        summary: '修改、撤回（active: false）或恢复委员履职项目',
        security,
        params: IdParams,
        body: DutyProjectPatchBody,
        response: { 200: DutyProject, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => updateProject(app.models, app.redis, request.params.id, request.body),
  );

  app.get(
    '/admin/projects/export',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminExportProjects',
        tags: ['admin'],
        summary: '导出委员履职项目（CSV 或 XLSX）',
        security,
        querystring: DutyProjectExportQuery,
        response: { 200: exportResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const { format = 'csv', ...filters } = request.query;
      const filter = await projectFilter(app.models, filters);
      const members = await app.models.Member.find(anyMemberState(), { name: 1, studioIds: 1 }).lean();
      const studios = new Map(
        (await app.models.Studio.find(anyStudioState(), { name: 1 }).lean()).map((s) => [String(s._id), s.name]),
      );
      const names = new Map(members.map((m) => [String(m._id), m.name]));
      const studiosOf = new Map(
        members.map((m) => [
          String(m._id),
          m.studioIds
            .map((id) => studios.get(String(id)) ?? '')
            .filter(Boolean)
            .join('、'),
        ]),
      );
      const rows = (async function* () {
        for await (const doc of app.models.Project.find(filter)
          .sort({ year: -1, _id: 1 })
          .lean<ProjectDoc[]>()
          .cursor()) {
          const project = doc as unknown as ProjectDoc;
          yield {
            project: toProject(project, names.get(String(project.memberId)) ?? ''),
            studios: studiosOf.get(String(project.memberId)) ?? '',
          };
        }
      })();
      return sendTable(
        reply,
        format,
        {
          fileName: 'duty-projects',
          sheetName: '委员履职项目',
          columns: [
            { header: '年度', value: (r) => r.project.year },
            { header: '委员', value: (r) => r.project.member.name },
            { header: '所属工作室', value: (r) => r.studios, width: 30 },
            { header: '项目名称', value: (r) => r.project.title, width: 30 },
            { header: '项目简介', value: (r) => r.project.summary, width: 50 },
            { header: '状态', value: (r) => (r.project.active ? '在用' : '已撤回') },
            { header: '登记时间', value: (r) => chinaTime(new Date(r.project.createdAt)), width: 18 },
          ],
          rows,
        },
        request.log,
      );
    },
  );

  app.get(
    '/admin/service-items/export',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminExportServiceItems',
        tags: ['admin'],
        summary: '导出各工作室的特色服务项目（CSV 或 XLSX）',
        description: '服务项目随工作室新建和修改（PATCH /admin/studios/:id 的 serviceItems；未列出的项目即停用）。',
        security,
        querystring: ServiceItemExportQuery,
        response: { 200: exportResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const { format = 'csv', includeRetired = false } = request.query;
      const studios = await app.models.Studio.find(anyStudioState(), {
        name: 1,
        town: 1,
        sector: 1,
        active: 1,
        serviceItems: 1,
        sortOrder: 1,
      })
        .sort({ sortOrder: 1, _id: 1 })
        .lean();
      const rows = studios.flatMap((studio) =>
        studio.serviceItems
          .filter((item) => includeRetired || item.active)
          .map((item) => ({ studio: studio.name, area: studio.town ?? studio.sector ?? '', item })),
      );
      return sendTable(
        reply,
        format,
        {
          fileName: 'service-items',
          sheetName: '特色服务项目',
          columns: [
            { header: '工作室', value: (r) => r.studio, width: 24 },
            { header: '镇街/界别', value: (r) => r.area, width: 16 },
            { header: '服务项目', value: (r) => r.item.title, width: 30 },
            { header: '简介', value: (r) => r.item.summary, width: 50 },
            { header: '状态', value: (r) => (r.item.active ? '在用' : '已停用') },
          ],
          rows,
        },
        request.log,
      );
    },
  );

  app.get(
    '/members/:id',
    {
      schema: {
        operationId: 'getMemberProfile',
        tags: ['studios'],
        summary: '委员主页：所在工作室与在用的履职项目',
        security: [],
        params: IdParams,
        response: { 200: MemberProfile, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => memberProfile(app.models, request.params.id),
  );
};

export default projectRoutes;
