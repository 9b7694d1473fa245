import { NOTICE_TITLES, type NoticeKind } from '@mashangshang/shared';

/** WeChat's per-field limits of subscribe-message template data. */
const LIMITS = { thing: 20, name: 10, phrase: 5, character_string: 32, number: 32 } as const;
type FieldType = keyof typeof LIMITS | 'time';

/** Cuts a value to what WeChat accepts for its field type (too long a value makes the whole send fail). */
function fitTemplateValue(type: FieldType, value: string): string {
  const text = value.replace(/\s+/g, ' ').trim();
  if (type === 'time') return text;
  if (type === 'character_string') return text.replace(/[^A-Za-z0-9_\-.]/g, '').slice(0, LIMITS.character_string);
  if (type === 'number') return text.replace(/[^0-9.]/g, '').slice(0, LIMITS.number);
  const chars = [...text];
  const max = LIMITS[type];
  if (chars.length <= max) return text || '—';
  return type === 'thing' ? `${chars.slice(0, max - 1).join('')}…` : chars.slice(0, max).join('');
}

/** `YYYY-MM-DD HH:mm` in China time, as WeChat's `time` fields expect. */
export function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface NoticeFacts {
  ticketNo: string;
  studioName: string;
  excerpt: string;
  actorName: string;
  at: Date;
  dueAt: Date;
  reason: string;
  /** 待补充: what the studio asked, and what the resident supplied (latest of each). */
  infoQuestion: string;
  infoSupplied: string;
}

const STAGE_PHRASE: Partial<Record<NoticeKind, string>> = {
  deadline_reminder: '即将超时',
  ticket_overdue: '已超时',
  ticket_escalated: '超时升级',
};

/** The template data of each notice, every field cut to its limit. */
export function subscribeData(kind: NoticeKind, facts: NoticeFacts): Record<string, { value: string }> {
  const fields = ((): Record<string, [FieldType, string]> => {
    switch (kind) {
      case 'ticket_assigned':
        return {
          character_string1: ['character_string', facts.ticketNo],
          thing2: ['thing', facts.studioName],
          thing3: ['thing', facts.excerpt],
          time4: ['time', chinaTime(facts.at)],
        };
      case 'ticket_replied':
        return {
          character_string1: ['character_string', facts.ticketNo],
          thing2: ['thing', facts.excerpt],
          name3: ['name', facts.actorName],
          time4: ['time', chinaTime(facts.at)],
        };
      case 'ticket_reopened':
        return {
          character_string1: ['character_string', facts.ticketNo],
          thing2: ['thing', facts.reason],
          time3: ['time', chinaTime(facts.at)],
        };
      case 'follow_up':
        return {
          character_string1: ['character_string', facts.ticketNo],
          thing2: ['thing', facts.studioName],
          thing3: ['thing', '您反映的问题解决了吗？请告诉我们'],
          time4: ['time', chinaTime(facts.at)],
        };
      case 'info_requested':
        return {
          character_string1: ['character_string', facts.ticketNo],
          thing2: ['thing', facts.studioName],
          thing3: ['thing', facts.infoQuestion],
          time4: ['time', chinaTime(facts.at)],
        };
      case 'info_supplied':
        return {
          character_string1: ['character_string', facts.ticketNo],
          thing2: ['thing', facts.infoSupplied],
          time3: ['time', chinaTime(facts.at)],
        };
      case 'closed_unsupplied':
        return {
          character_string1: ['character_string', facts.ticketNo],
          thing2: ['thing', facts.studioName],
          thing3: ['thing', '未收到补充信息，留言已办结'],
          time4: ['time', chinaTime(facts.at)],
        };
      default:
        return {
          character_string1: ['character_string', facts.ticketNo],
          thing2: ['thing', facts.studioName],
          time3: ['time', chinaTime(facts.dueAt)],
          phrase4: ['phrase', STAGE_PHRASE[kind] ?? '提醒'],
        };
    }
  })();
  return Object.fromEntries(
    Object.entries(fields).map(([key, [type, value]]) => [key, { value: fitTemplateValue(type, value) }]),
  );
}

/** The in-app text of a notice. */
export function inAppText(kind: NoticeKind, facts: NoticeFacts): { title: string; body: string } {
  const title = NOTICE_TITLES[kind];
  switch (kind) {
    case 'ticket_assigned':
      return { title, body: `${facts.studioName}：${facts.excerpt}` };
    case 'ticket_replied':
      return { title, body: `${facts.actorName}：${facts.excerpt}` };
    case 'ticket_reopened':
      return { title, body: `重新办理原因：${facts.reason}` };
    case 'follow_up':
      return {
        title,
        body: `${facts.studioName}回访：留言 ${facts.ticketNo} 反映的问题是否已经真正解决？请在留言详情中告诉我们。`,
      };
    case 'info_requested':
      return { title, body: `${facts.studioName}请您补充：${facts.infoQuestion}` };
    case 'info_supplied':
      return { title, body: `留言 ${facts.ticketNo} 的群众补充：${facts.infoSupplied}` };
    case 'closed_unsupplied':
      return {
        title,
        body: `${facts.studioName}未收到您补充的信息，留言 ${facts.ticketNo} 已办结。如仍需办理，可申请重新办理或重新留言。`,
      };
    default:
      return { title, body: `${facts.studioName} 留言 ${facts.ticketNo}，答复时限 ${chinaTime(facts.dueAt)}` };
  }
}

/** The mini-program page a notice opens. */
export function noticePage(kind: NoticeKind, ticketId: string): string {
  return kind === 'ticket_replied' || kind === 'follow_up' || kind === 'info_requested' || kind === 'closed_unsupplied'
    ? `pages/ticket/index?id=${ticketId}`
    : `member/ticket/index?id=${ticketId}`;
}
