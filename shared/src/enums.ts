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
