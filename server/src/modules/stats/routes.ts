import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  IdParams,
  STATS_GROUP_BY_LABELS,
  StatsExportQuery,
  StatsQuery,
  StatsResponse,
  StudioStatsQuery,
  StudioStatsResponse,
  errorResponses,
  type StatsGroup,
} from '@mashangshang/shared';
import { computeStats, computeStudioStats, type StatsDeps } from './service';
import { AppError } from '../../errors';
import { requestStatsReconcile } from '../../queues';
import { statsReady } from './rollup';
import { exportResponse, sendTable, type ExportColumn } from '../../lib/tabular-export';

const security = [{ bearerAuth: [] }];
const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);

/** The dashboard's columns, in the order the office reports them. */
const STATS_COLUMNS: ExportColumn<StatsGroup>[] = [
  { header: '留言总数', value: (g) => g.tickets },
  { header: '咨询问题', value: (g) => g.byCategory.consult },
  { header: '反映建议', value: (g) => g.byCategory.suggest },
  { header: '寻求帮助', value: (g) => g.byCategory.help },
  { header: '待分配', value: (g) => g.byStatus.pending },
  { header: '待回复', value: (g) => g.byStatus.assigned },
  { header: '已回复', value: (g) => g.byStatus.answered },
  { header: '已办结', value: (g) => g.byStatus.resolved },
  { header: '应答复数', value: (g) => g.due },
  { header: '按时答复数', value: (g) => g.answeredInTime },
  { header: '响应率(%)', value: (g) => percent(g.responseRate) },
  { header: '办结率(%)', value: (g) => percent(g.resolutionRate) },
  { header: '评价数', value: (g) => g.rated },
  { header: '平均评分', value: (g) => g.averageRating },
  { header: '满意率(4–5星,%)', value: (g) => percent(g.satisfiedShare) },
  { header: '首次答复时长中位数(分钟)', value: (g) => g.medianFirstResponseMinutes },
  { header: '转协商建议', value: (g) => g.outcomes.consultation },
  { header: '转提案', value: (g) => g.outcomes.proposal },
  { header: '转社情民意信息', value: (g) => g.outcomes.public_opinion },
  { header: '转服务项目', value: (g) => g.outcomes.service_project },
  { header: '回头看已询问', value: (g) => g.followUps.asked },
  { header: '回头看已解决', value: (g) => g.followUps.settled },
  { header: '回头看未解决', value: (g) => g.followUps.unsettled },
];

const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (request: FastifyRequest): StatsDeps => ({
    models: app.models,
    redis: app.redis,
    requestRebuild: () => requestStatsReconcile(app.queues, request.log),
  });

  // A new install (no ticket yet) has a complete, empty rollup from the start.
  app.addHook('onReady', async () => {
    await statsReady(app.redis, app.models).catch((error: Error) =>
      app.log.warn({ reason: error.message }, 'statistics readiness not checked at start'),
    );
  });

  app.get(
    '/admin/stats',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminGetStats',
        tags: ['admin'],
        summary:
          '统计：按工作室、镇街、界别或联组，留言分类与状态、响应率、办结率、满意度、首次答复时长中位数、三转与回头看',
        description:
          '日期为北京时间、按留言提交日计算（含首尾两天）。响应率 = 在答复时限内答复的留言 / 已到答复时限或已答复的留言。',
        security,
        querystring: StatsQuery,
        response: { 200: StatsResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => computeStats(deps(request), request.query),
  );

  app.get(
    '/admin/stats/export',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminExportStats',
        tags: ['admin'],
        summary: '导出统计（CSV 或 XLSX），每个分组一行，最后一行为合计',
        security,
        querystring: StatsExportQuery,
        response: { 200: exportResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => {
      const { format = 'csv', ...query } = request.query;
      // Computed before the first byte is sent, so a problem still gets a proper error answer.
      const stats = await computeStats(deps(request), query);
      const columns: ExportColumn<StatsGroup>[] = [
        { header: STATS_GROUP_BY_LABELS[stats.groupBy], value: (g) => g.label, width: 24 },
        ...STATS_COLUMNS,
      ];
      return sendTable(
        reply,
        format,
        {
          fileName: `stats-${stats.groupBy}-${stats.from}-${stats.to}`,
          sheetName: `统计 ${stats.from} 至 ${stats.to}`,
          columns,
          rows: [...stats.groups, stats.total],
        },
        request.log,
      );
    },
  );

  app.get(
    '/studios/:id/stats',
    {
      preHandler: app.requireRole('member', 'admin'),
      schema: {
        operationId: 'getStudioStats',
        tags: ['studios'],
        summary:
          '本工作室统计：委员只能查看自己所在工作室的留言分类与状态、响应率、办结率、满意度、首次答复时长中位数、三转与回头看',
        description: '日期为北京时间、按留言提交日计算（含首尾两天）。管理员可查看任一工作室。',
        security,
        params: IdParams,
        querystring: StudioStatsQuery,
        response: { 200: StudioStatsResponse, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { actor } = request;
      // Membership is read fresh per request (resolveActor): a member who left the studio loses it at once.
      if (actor.role === 'member' && !actor.studioIds.some((id) => String(id) === request.params.id)) {
        throw new AppError('FORBIDDEN', {
          logMessage: 'member asked for the statistics of a studio they do not belong to',
          userMessage: '只能查看您所在工作室的统计',
        });
      }
      return computeStudioStats(deps(request), request.params.id, request.query);
    },
  );
};

export default statsRoutes;
