import type {
  AdminInvite,
  AdminInviteList,
  AdminInviteListQuery,
  AdminMember,
  AdminMemberList,
  AdminStudioDetail,
  AdminStudioList,
  InviteResponse,
  PageQuery,
  StatsResponse,
  StudioDetail,
  AdminMemberCreateBody,
  AdminMemberListQuery,
  AdminMemberPatchBody,
  AdminStudioCreateBody,
  AdminStudioListQuery,
  AdminStudioPatchBody,
  BusinessDayBody,
  CalendarYear,
  StatsQuery,
} from '@mashangshang/shared';
import type { Static } from '@sinclair/typebox';
import { http, type Reply } from '../http';

/** The admin console: figures, members, studios, invites and failed WeChat notices. */
export const adminApi = {
  adminStats: (query: StatsQuery): Promise<StatsResponse> =>
    http.json('StatsResponse', 'GET', '/admin/stats', { query }),

  adminMembers: (query: AdminMemberListQuery): Promise<AdminMemberList> =>
    http.json('AdminMemberList', 'GET', '/admin/members', { query }),
  adminCreateMember: (body: AdminMemberCreateBody): Promise<AdminMember> =>
    http.json('AdminMember', 'POST', '/admin/members', { body }),
  adminUpdateMember: (id: string, body: AdminMemberPatchBody): Promise<AdminMember> =>
    http.json('AdminMember', 'PATCH', `/admin/members/${id}`, { body }),

  adminStudios: (query: AdminStudioListQuery): Promise<AdminStudioList> =>
    http.json('AdminStudioList', 'GET', '/admin/studios', { query }),
  adminStudio: (id: string): Promise<AdminStudioDetail> =>
    http.json('AdminStudioDetail', 'GET', `/admin/studios/${id}`),
  // Creating and editing answer with the studio as residents see it (no `active`, no `code`).
  adminCreateStudio: (body: AdminStudioCreateBody): Promise<StudioDetail> =>
    http.json('StudioDetail', 'POST', '/admin/studios', { body }),
  adminUpdateStudio: (id: string, body: AdminStudioPatchBody): Promise<StudioDetail> =>
    http.json('StudioDetail', 'PATCH', `/admin/studios/${id}`, { body }),

  createInvite: (memberId: string): Promise<InviteResponse> =>
    http.json('InviteResponse', 'POST', `/admin/members/${memberId}/invites`, { body: {} }),
  adminInvites: (studioId: string): Promise<AdminInviteList> => {
    const query: AdminInviteListQuery = { studioId, limit: 50 };
    return http.json('AdminInviteList', 'GET', '/admin/invites', { query });
  },
  revokeInvite: (id: string): Promise<AdminInvite> =>
    http.json('AdminInvite', 'POST', `/admin/invites/${id}/revoke`, { body: {} }),

  /** The working calendar deadlines count by: a year's holidays and 调休 workdays, built in and the office's own. */
  adminCalendar: (year: number): Promise<CalendarYear> =>
    http.json('CalendarYear', 'GET', '/admin/calendar', { query: { year } }),
  adminSetCalendarDay: (date: string, body: BusinessDayBody): Promise<CalendarYear> =>
    http.json('CalendarYear', 'PUT', `/admin/calendar/days/${date}`, { body }),
  adminClearCalendarDay: (date: string): Promise<CalendarYear> =>
    http.json('CalendarYear', 'DELETE', `/admin/calendar/days/${date}`),

  failedNotices: (query: Pick<Static<typeof PageQuery>, 'cursor'>): Promise<Reply<'FailedNoticeList'>> =>
    http.json('FailedNoticeList', 'GET', '/admin/notifications/failed', { query }),
  retryNotice: (id: string): Promise<Reply<'RetryQueued'>> =>
    http.json('RetryQueued', 'POST', `/admin/notifications/${id}/retry`, { body: {} }),
};
