import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  IdParams,
  OUTCOME_KIND_LABELS,
  OUTCOME_STATUS_LABELS,
  OutcomeExportQuery,
  OutcomeList,
  OutcomeListQuery,
  OutcomePatchBody,
  OutcomeRecord,
  errorResponses,
} from '@mashangshang/shared';
import { listOutcomes, outcomeFilter, studioNames, toRecord, updateOutcome } from './service';
import type { OutcomeDoc } from '../../models/outcomes';
import { anyStudioState } from '../../models/studios';
import { exportResponse, sendTable } from '../../lib/tabular-export';
import { chinaTime } from '../notifications/templates';

const security = [{ bearerAuth: [] }];

/** 三转 records: listed, followed up and exported by the CPPCC office. */
const outcomeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/outcomes',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminListOutcomes',
        tags: ['admin'],
        summary: '“三转”记录列表（可按去向类型、状态、工作室、登记日期筛选）',
        security,
        querystring: OutcomeListQuery,
        response: { 200: OutcomeList, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => listOutcomes(app.models, request.query),
  );

  app.patch(
    '/admin/outcomes/:id',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminUpdateOutcome',
        tags: ['admin'],
        summary: '更新“三转”记录的状态（已采纳、已立案、已办结……）和去向',
        security,
        params: IdParams,
        body: OutcomePatchBody,
        response: { 200: OutcomeRecord, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => updateOutcome(app.models, app.redis, request.actor, request.params.id, request.body),
  );

  app.get(
    '/admin/outcomes/export',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminExportOutcomes',
        tags: ['admin'],
        summary: '导出“三转”记录（CSV 或 XLSX）',
        security,
        querystring: OutcomeExportQuery,
        response: { 200: exportResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const { format = 'csv', ...filters } = request.query;
      const filter = outcomeFilter(filters);
      // Studio names first (a small collection), then the records stream out as they are read.
      const names = await studioNames(
        app.models,
        (await app.models.Studio.find(anyStudioState(), { _id: 1 }).lean()).map((s) => s._id),
      );
      const rows = (async function* () {
        for await (const doc of app.models.Outcome.find(filter).sort({ _id: 1 }).lean<OutcomeDoc[]>().cursor())
          yield toRecord(
            doc as unknown as OutcomeDoc,
            names.get(String((doc as unknown as OutcomeDoc).studioId)) ?? '',
          );
      })();
      return sendTable(
        reply,
        format,
        {
          fileName: 'outcomes',
          sheetName: '三转记录',
          columns: [
            { header: '留言编号', value: (r) => r.ticketNo, width: 18 },
            { header: '工作室', value: (r) => r.studio.name, width: 20 },
            { header: '转化类型', value: (r) => OUTCOME_KIND_LABELS[r.kind], width: 16 },
            { header: '标题', value: (r) => r.title, width: 40 },
            { header: '去向', value: (r) => r.where, width: 24 },
            { header: '状态', value: (r) => OUTCOME_STATUS_LABELS[r.status] },
            { header: '备注', value: (r) => r.note, width: 30 },
            { header: '登记时间', value: (r) => chinaTime(new Date(r.createdAt)), width: 18 },
            { header: '更新时间', value: (r) => chinaTime(new Date(r.updatedAt)), width: 18 },
          ],
          rows,
        },
        request.log,
      );
    },
  );
};

export default outcomeRoutes;
