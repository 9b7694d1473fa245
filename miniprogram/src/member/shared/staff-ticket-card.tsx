import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { TICKET_CATEGORY_LABELS, TICKET_STATUS_LABELS, type TicketSummary } from '@mashangshang/shared';
import { dueText, formatTime } from '../../services/format';
import { Badge, Tap } from './controls';

const STATUS_TONE: Record<TicketSummary['status'], 'warn' | 'info' | 'ok' | 'plain' | 'wait'> = {
  pending: 'warn',
  assigned: 'info',
  answered: 'ok',
  waiting: 'wait',
  resolved: 'plain',
};

/**
 * A ticket in a member's inbox or on the office's board: the summary is one button that opens the
 * ticket (the shared TicketCard's row is a bare view), with room below for actions such as 改派.
 */
export function StaffTicketCard(props: { ticket: TicketSummary; onOpen: () => void; children?: ReactNode }) {
  const { ticket } = props;
  const open = ticket.status === 'assigned' || ticket.status === 'pending';
  return (
    <View className="card staff-ticket ticket-card" data-ticket={ticket.no}>
      <Tap
        className="staff-ticket__open tap-row"
        label={`留言 ${ticket.no}，${TICKET_STATUS_LABELS[ticket.status]}${ticket.overdue ? '，已超时' : ''}：${ticket.excerpt}`}
        onTap={props.onOpen}
      >
        <View className="staff-ticket__head">
          <Text className="staff-ticket__no ticket-card__no">{ticket.no}</Text>
          <View className="row">
            {ticket.overdue ? (
              <Badge tone="danger" className="badge-overdue">
                已超时
              </Badge>
            ) : null}
            <Badge tone={STATUS_TONE[ticket.status]}>{TICKET_STATUS_LABELS[ticket.status]}</Badge>
          </View>
        </View>
        <Text className="staff-ticket__excerpt">{ticket.excerpt}</Text>
        <View className="staff-ticket__meta">
          <Text>
            {TICKET_CATEGORY_LABELS[ticket.category]} · {ticket.studio.name}
          </Text>
          <Text>{open ? dueText(ticket.dueAt) : formatTime(ticket.createdAt)}</Text>
        </View>
        {ticket.assignee ? <Text className="staff-ticket__meta">承办委员：{ticket.assignee.name}</Text> : null}
      </Tap>
      {props.children ? <View className="staff-ticket__actions">{props.children}</View> : null}
    </View>
  );
}
