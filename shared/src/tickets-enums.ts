export const TICKET_CATEGORIES = ['consult', 'suggest', 'help'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_CATEGORY_LABELS: Record<TicketCategory, string> = {
  consult: '咨询问题',
  suggest: '反映建议',
  help: '寻求帮助',
};

/** `waiting` (待补充): the studio asked the resident for more information; its clock is paused. */
export const TICKET_STATUSES = ['pending', 'assigned', 'answered', 'waiting', 'resolved'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_STATUS_LABELS: Record<TicketStatus, string> = {
  pending: '待分配',
  assigned: '待回复',
  answered: '已回复',
  waiting: '待补充',
  resolved: '已办结',
};

/** 三转: what a resolved ticket became. */
export const TICKET_OUTCOMES = ['none', 'consultation', 'proposal', 'public_opinion', 'service_project'] as const;
export type TicketOutcome = (typeof TICKET_OUTCOMES)[number];
export const TICKET_OUTCOME_LABELS: Record<TicketOutcome, string> = {
  none: '直接办结',
  consultation: '转协商建议',
  proposal: '转提案',
  public_opinion: '转社情民意信息',
  service_project: '转服务项目',
};

export const TICKET_EVENT_TYPES = [
  'submitted',
  'assigned',
  'pending',
  'reply',
  'note',
  'transferred',
  'reassigned',
  'resolved',
  'rated',
  'reopened',
  'flagged',
  'escalated',
  'notified',
  'notify_failed',
  'moderated',
  'follow_up',
  'follow_up_settled',
  'follow_up_unsettled',
  /** The studio asked the resident for more information (the clock paused). */
  'info_requested',
  /** The resident's answer (the clock runs again with the time already used). */
  'info_supplied',
  /** Nothing came within the waiting time: closed as 未补充. */
  'closed_unsupplied',
] as const;

/** WeChat's content check of a ticket: members see a ticket only once it is `pass`. */
export const CONTENT_CHECK_STATES = ['pass', 'review', 'pending', 'rejected'] as const;
export type ContentCheckState = (typeof CONTENT_CHECK_STATES)[number];
/**
 * An image's WeChat content-security check (mediaCheckAsync): asked at upload, answered later by
 * WeChat's message push. Only `pass` images are shown to anyone but their uploader and admins.
 */
export const MEDIA_CHECK_STATES = ['pending', 'pass', 'review', 'risky'] as const;
export type MediaCheckState = (typeof MEDIA_CHECK_STATES)[number];
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** A resolved ticket may be reopened by its resident within this many days. */
export const REOPEN_WINDOW_DAYS = 7;
export const MAX_TICKET_IMAGES = 9;
