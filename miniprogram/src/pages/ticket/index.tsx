import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { TicketBody } from '../../components/ticket-body';
import { TicketLoading, useTicket } from '../../components/use-ticket';
import { Timeline } from '../../components/timeline';
import { Button, Rate, TextArea } from '../../components/ui';

/** The resident's ticket: content, timeline with the members' replies, rating and reopen. */
export default function TicketPage() {
  const { ticket, error, busy, act, reload } = useTicket();
  const [score, setScore] = useState(5);
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');

  if (!ticket) return <TicketLoading error={error} onRetry={reload} />;

  const canRate = !ticket.rating && (ticket.status === 'answered' || ticket.status === 'resolved');
  const canReopen =
    ticket.status === 'resolved' &&
    ticket.canReopenUntil !== null &&
    new Date(ticket.canReopenUntil).getTime() > Date.now();

  return (
    <PageShell>
      <TicketBody ticket={ticket} />
      <Text className="h2">办理进度</Text>
      <View className="card">
        <Timeline events={ticket.timeline} />
      </View>

      {canRate ? (
        <View className="card stack rate-box">
          <Text className="field__label">对委员的答复满意吗？</Text>
          <Rate value={score} onChange={(value: number) => setScore(value)} />
          <TextArea
            className="input-box"
            placeholder="说说您的评价（选填）"
            value={comment}
            maxLength={300}
            onChange={(value: string) => setComment(value)}
          />
          <Button
            className="btn-block send-rating"
            type="primary"
            loading={busy}
            disabled={busy}
            onClick={() =>
              void act(
                () => api.rate(ticket.id, comment.trim() ? { score, comment: comment.trim() } : { score }),
                '感谢您的评价',
              )
            }
          >
            提交评价
          </Button>
        </View>
      ) : null}
      {ticket.rating ? (
        <View className="card">
          <Text className="block">
            您的评价：<Text className="star">{'★'.repeat(ticket.rating.score)}</Text>
          </Text>
          {ticket.rating.comment ? <Text className="muted">{ticket.rating.comment}</Text> : null}
        </View>
      ) : null}

      {canReopen ? (
        <View className="card stack">
          <Text className="field__label">问题没有解决？</Text>
          <TextArea
            className="input-box"
            placeholder="请说明还需要办理的内容"
            value={reason}
            maxLength={500}
            onChange={(value: string) => setReason(value)}
          />
          <Button
            className="btn-block"
            fill="outline"
            type="primary"
            disabled={busy || reason.trim().length < 2}
            onClick={() => void act(() => api.reopen(ticket.id, { reason: reason.trim() }), '已申请重新办理')}
          >
            申请重新办理
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
