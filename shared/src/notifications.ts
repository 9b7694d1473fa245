/** Subscribe-message templates the mini-program asks consent for, one per kind of notice. */
export const TEMPLATE_KEYS = [
  'ticket_assigned',
  'ticket_replied',
  'ticket_reopened',
  'deadline_reminder',
  'ticket_overdue',
  'ticket_escalated',
  'follow_up',
  'info_requested',
  'info_supplied',
  'closed_unsupplied',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/**
 * Every kind of notice has its template: the same list, named for what the notice is.
 * @alias
 */
export const NOTICE_KINDS = TEMPLATE_KEYS;
export type NoticeKind = TemplateKey;

/** Title of each notice in the in-app list. */
export const NOTICE_TITLES: Record<NoticeKind, string> = {
  ticket_assigned: '您有新的群众留言待回复',
  ticket_replied: '委员已回复您的留言',
  ticket_reopened: '群众申请重新办理留言',
  deadline_reminder: '留言即将超过答复时限',
  ticket_overdue: '留言已超过答复时限',
  ticket_escalated: '留言超时未答复，已升级提醒',
  follow_up: '回头看：您反映的问题解决了吗？',
  info_requested: '委员请您补充留言信息',
  info_supplied: '群众已补充留言信息',
  closed_unsupplied: '留言因未补充信息已办结',
};

/** Whether a long-term template (长期订阅) is accepted: WeChat tells by its subscribe-message events. */
export const LONG_TERM_STATES = ['accept', 'reject', 'unknown'] as const;
export type LongTermState = (typeof LONG_TERM_STATES)[number];
