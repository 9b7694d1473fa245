import { TICKET_OUTCOME_LABELS, type TicketEventType, type TimelineEventView } from '@mashangshang/shared';

const pad = (n: number) => String(n).padStart(2, '0');

/** "11月26日 14:05" in the phone's time zone; with the year when it is not this year. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const day = `${at.getMonth() + 1}月${at.getDate()}日 ${pad(at.getHours())}:${pad(at.getMinutes())}`;
  return at.getFullYear() === now.getFullYear() ? day : `${at.getFullYear()}年${day}`;
}

/** "还剩 3 小时" / "已超时 2 小时" for a response deadline. */
export function dueText(dueAt: string, now: Date = new Date()): string {
  const minutes = Math.round((new Date(dueAt).getTime() - now.getTime()) / 60_000);
  const span = (m: number) => (m >= 120 ? `${Math.round(m / 60)} 小时` : `${Math.max(m, 1)} 分钟`);
  return minutes >= 0 ? `还剩 ${span(minutes)}` : `已超时 ${span(-minutes)}`;
}

const EVENT_LABELS: Record<TicketEventType, string> = {
  submitted: '提交留言',
  assigned: '分配委员',
  pending: '等待分配委员',
  reply: '委员回复',
  note: '内部备注',
  transferred: '转交委员',
  reassigned: '改派委员',
  resolved: '办结',
  rated: '群众评价',
  reopened: '申请重新办理',
  flagged: '内容待复核',
  escalated: '超时提醒机关',
  notified: '已发送通知',
  notify_failed: '通知发送失败',
  moderated: '内容审核完成',
  follow_up: '回头看：回访群众',
  follow_up_settled: '群众确认问题已解决',
  follow_up_unsettled: '群众反映问题未解决',
  info_requested: '请群众补充信息',
  info_supplied: '群众已补充信息',
  closed_unsupplied: '未补充，已办结',
};

/** One line that says what happened at a timeline event. */
export function eventTitle(event: TimelineEventView): string {
  const base = EVENT_LABELS[event.type] ?? event.type;
  if (event.toMember && (event.type === 'assigned' || event.type === 'transferred' || event.type === 'reassigned'))
    return `${base}：${event.toMember.name}`;
  if (event.type === 'resolved' && event.outcome) return `${base}（${TICKET_OUTCOME_LABELS[event.outcome]}）`;
  if (event.type === 'rated' && event.score) return `${base}：${'★'.repeat(event.score)}`;
  return base;
}
