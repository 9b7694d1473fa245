import { Text } from '@tarojs/components';
import { TICKET_STATUS_LABELS, type TicketStatus } from '@mashangshang/shared';

/**
 * A ticket's status, the same in the lists and on the ticket: dark text on a pale tint of its
 * colour (every pair at least 5.7:1), never white on amber or green.
 */
export function StatusTag(props: { status: TicketStatus; className?: string }) {
  return (
    <Text className={`status-tag status-tag--${props.status}${props.className ? ` ${props.className}` : ''}`}>
      {TICKET_STATUS_LABELS[props.status]}
    </Text>
  );
}

/** Shown beside the status of an open ticket past its response deadline. */
export function OverdueTag() {
  return <Text className="status-tag status-tag--overdue badge-overdue">已超时</Text>;
}
