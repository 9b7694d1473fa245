import { Text, View } from '@tarojs/components';
import { TICKET_CATEGORY_LABELS, type TicketSummary } from '@mashangshang/shared';
import type { ReactNode } from 'react';
import { dueText, formatTime } from '../services/format';
import { OverdueTag, StatusTag } from './status-tag';
import { Tap } from './tap';

/** A ticket in a list: number, studio, status, excerpt and (for open ones) the deadline or the overdue badge. */
export function TicketCard(props: {
  ticket: TicketSummary;
  onOpen: () => void;
  showDue?: boolean;
  children?: ReactNode;
}) {
  const { ticket } = props;
  const open = ticket.status === 'assigned' || ticket.status === 'pending';
  return (
    <View className="card ticket-card" data-ticket={ticket.no}>
      <Tap role="link" className="tap-row" onTap={props.onOpen}>
        <View className="row row--between">
          <Text className="ticket-card__no">{ticket.no}</Text>
          <View className="row">
            {ticket.overdue ? <OverdueTag /> : null}
            <StatusTag status={ticket.status} />
          </View>
        </View>
        <Text className="ticket-card__excerpt">{ticket.excerpt}</Text>
        <View className="row row--between muted small">
          <Text>
            {TICKET_CATEGORY_LABELS[ticket.category]} · {ticket.studio.name}
          </Text>
          <Text>{props.showDue && open ? dueText(ticket.dueAt) : formatTime(ticket.createdAt)}</Text>
        </View>
        {ticket.assignee ? <Text className="muted small">承办委员：{ticket.assignee.name}</Text> : null}
      </Tap>
      {props.children}
    </View>
  );
}
