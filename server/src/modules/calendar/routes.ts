import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BusinessDayBody,
  BusinessDayParams,
  CalendarYear,
  CalendarYearQuery,
  errorResponses,
} from '@mashangshang/shared';
import { AppError } from '../../errors';
import { calendarYear, clearCalendarDay, setCalendarDay } from './service';

const security = [{ bearerAuth: [] }];

/** The working calendar deadlines count by: the office sees a year and enters the days it decides. */
const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/calendar',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminCalendarYear',
        tags: ['admin'],
        summary: '工作日历：某年的法定节假日与调休上班日（内置国务院安排，加管理员录入的调整）',
        security,
        querystring: CalendarYearQuery,
        response: { 200: CalendarYear, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => calendarYear(app.models, request.query.year),
  );

  app.put(
    '/admin/calendar/days/:date',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminSetCalendarDay',
        tags: ['admin'],
        summary: '录入某天放假或上班（如次年国务院放假通知发布后），覆盖内置日历；按工作日计的答复时限随之计算',
        security,
        params: BusinessDayParams,
        body: BusinessDayBody,
        response: { 200: CalendarYear, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const { date } = request.params;
      if (
        Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
        new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
      ) {
        throw new AppError('VALIDATION_FAILED', {
          userMessage: '日期不存在，请检查',
          logMessage: `no such date ${date}`,
        });
      }
      await setCalendarDay(app.models, request.actor, date, request.body);
      return calendarYear(app.models, Number(date.slice(0, 4)));
    },
  );

  app.delete(
    '/admin/calendar/days/:date',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        operationId: 'adminClearCalendarDay',
        tags: ['admin'],
        summary: '撤销对某天的调整，恢复内置日历',
        security,
        params: BusinessDayParams,
        response: { 200: CalendarYear, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { date } = request.params;
      if (!(await clearCalendarDay(app.models, date))) {
        throw new AppError('NOT_FOUND', { userMessage: '这一天没有调整记录', logMessage: `no override for ${date}` });
      }
      return calendarYear(app.models, Number(date.slice(0, 4)));
    },
  );
};

export default calendarRoutes;
