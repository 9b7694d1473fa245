/**
 * The admin console's lists and their Chinese labels, as plain values (no TypeBox): the console's
 * pages show them without carrying the schema builder; schemas/admin.ts and schemas/stats.ts build on them.
 */

/** What became of an invite; the code itself is never stored, so a list shows only this. */
export const INVITE_STATUSES = ['pending', 'used', 'expired', 'revoked'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];
export const INVITE_STATUS_LABELS: Record<InviteStatus, string> = {
  pending: '待使用',
  used: '已使用',
  expired: '已过期',
  revoked: '已作废',
};

/** How statistics are grouped: per studio, or per town, sector (界别) or joint group (联组) of studios. */
export const STATS_GROUP_BYS = ['studio', 'town', 'sector', 'jointGroup'] as const;
export type StatsGroupBy = (typeof STATS_GROUP_BYS)[number];
export const STATS_GROUP_BY_LABELS: Record<StatsGroupBy, string> = {
  studio: '工作室',
  town: '镇街',
  sector: '界别',
  jointGroup: '联组',
};
