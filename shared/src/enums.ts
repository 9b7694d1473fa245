export const ROLES = ['resident', 'member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  resident: '群众',
  member: '委员',
  admin: '管理员',
};

/** A studio is either the collective studio of a town/street or the studio of a sector (界别). */
export const STUDIO_KINDS = ['town', 'sector'] as const;
export type StudioKind = (typeof STUDIO_KINDS)[number];

export const STUDIO_KIND_LABELS: Record<StudioKind, string> = {
  town: '镇街委员集体工作室',
  sector: '界别委员工作室',
};

/** Default response deadline of a studio, in hours. */
export const DEFAULT_SLA_HOURS = 24;

/**
 * How a studio's response deadline counts: natural hours, or working days as China's official
 * calendar counts them (holidays skipped, 调休 weekend workdays counted).
 */
export const SLA_UNITS = ['hours', 'workdays'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];
export const SLA_UNIT_LABELS: Record<SlaUnit, string> = { hours: '小时', workdays: '个工作日' };
/** Default deadline, in working days, of a studio that counts working days. */
export const DEFAULT_SLA_WORKDAYS = 3;
export const MAX_SLA_WORKDAYS = 30;
/** Natural hours a studio's deadline may be set to (a month). */
export const MAX_SLA_HOURS = 720;

/** A studio's response deadline in words: "24小时", "2个工作日". */
export function slaText(studio: { slaUnit: SlaUnit; slaHours: number; slaWorkdays: number }): string {
  return studio.slaUnit === 'workdays'
    ? `${studio.slaWorkdays}${SLA_UNIT_LABELS.workdays}`
    : `${studio.slaHours}${SLA_UNIT_LABELS.hours}`;
}
