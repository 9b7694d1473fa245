import { Text, View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { api } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { goTo, HOME_PAGE, MINE_PAGE } from '../../components/navigation';
import { StarRating, scoreText } from '../../components/star-rating';
import { TicketBody } from '../../components/ticket-body';
import { TicketLoading, useTicket } from '../../components/use-ticket';
import { Timeline } from '../../components/timeline';
import { GrowingTextArea } from '../../components/growing-text-area';
import { Button } from '../../components/ui';
import { formatTime } from '../../services/format';

/** The resident's ticket: content, timeline with the members' replies, rating and reopen. */
export default function TicketPage() {
  const { ticket, error, failure, busy, act, reload } = useTicket();
  const [fresh, setFresh] = useState(false);
  const [score, setScore] = useState(5);
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [supplement, setSupplement] = useState('');
  useLoad((params: Record<string, string | undefined>) => setFresh(params.fresh === '1'));

  if (!ticket) return <TicketLoading error={error} failure={failure} onRetry={reload} />;

  const canRate = !ticket.rating && (ticket.status === 'answered' || ticket.status === 'resolved');
  const canReopen =
    ticket.status === 'resolved' &&
    ticket.canReopenUntil !== null &&
    new Date(ticket.canReopenUntil).getTime() > Date.now();

  return (
    <PageShell resident="other" title="留言详情">
      {fresh ? (
        // Just sent: say so, and where to go next (the submit page is gone from the history).
        <View className="card sent-card" role="status">
          <Text className="sent-card__title block">✓ 留言已提交</Text>
          <Text className="block">编号 {ticket.no}。委员答复后会通过微信通知您，您也可以随时在“我的留言”里查看。</Text>
          <View className="stack sent-card__actions">
            <Button className="btn-block go-mine" type="primary" onClick={() => goTo(MINE_PAGE)}>
              查看我的全部留言
            </Button>
            <Button
              className="btn-block go-studio"
              fill="outline"
              type="primary"
              onClick={() => goTo(`/pages/studio/index?id=${ticket.studio.id}`)}
            >
              返回{ticket.studio.name}
            </Button>
            <Button className="btn-block go-home" fill="outline" onClick={() => goTo(HOME_PAGE)}>
              回到首页
            </Button>
          </View>
        </View>
      ) : null}
      {ticket.waiting ? (
        // 待补充: the studio needs something from the resident; the answer box comes first.
        <View className="card stack info-request" role="region" ariaLabel="工作室请您补充信息">
          <Text className="h2 info-request__title" role="heading" ariaLevel="2">
            工作室请您补充信息
          </Text>
          <Text className="info-request__question block">{ticket.waiting.question}</Text>
          <Text className="muted block">
            {ticket.waiting.until
              ? `请在 ${formatTime(ticket.waiting.until)} 前补充。逾期未补充，留言将按“未补充”办结。`
              : '请尽快补充。'}
            补充后，委员会继续为您办理。
          </Text>
          <GrowingTextArea
            label="补充的信息"
            placeholder="请在这里写下需要补充的信息"
            value={supplement}
            maxLength={2000}
            onChange={setSupplement}
          />
          <Button
            className="btn-block send-info"
            type="primary"
            loading={busy}
            disabled={busy || !supplement.trim()}
            onClick={() =>
              void act(async () => {
                const updated = await api.supplyInfo(ticket.id, { content: supplement.trim() });
                setSupplement('');
                return updated;
              }, '已补充，委员会继续办理')
            }
          >
            提交补充信息
          </Button>
        </View>
      ) : null}
      {ticket.closedUnsupplied ? (
        <View className="card unsupplied-note" role="status">
          <Text className="block">
            因为没有收到您补充的信息，这条留言已按“未补充”办结。
            {canReopen ? '如仍需办理，可以在下方申请重新办理，并写上补充的信息。' : '如仍需办理，请重新留言。'}
          </Text>
        </View>
      ) : null}
      <TicketBody ticket={ticket} />
      <Text className="h2" role="heading" ariaLevel="2">
        办理进度
      </Text>
      <View className="card">
        <Timeline events={ticket.timeline} />
      </View>

      {canRate ? (
        <View className="card stack rate-box">
          <Text className="field__label">对委员的答复满意吗？</Text>
          <StarRating value={score} onChange={setScore} label="对委员答复的评分" />
          <GrowingTextArea
            label="说说您的评价（选填）"
            placeholder="说说您的评价（选填）"
            value={comment}
            maxLength={300}
            onChange={setComment}
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
            您的评价：
            <Text className="stars__static" ariaHidden="true">
              {'★'.repeat(ticket.rating.score)}
            </Text>{' '}
            {scoreText(ticket.rating.score)}
          </Text>
          {ticket.rating.comment ? <Text className="muted">{ticket.rating.comment}</Text> : null}
        </View>
      ) : null}

      {canReopen ? (
        <View className="card stack">
          <Text className="field__label">问题没有解决？</Text>
          <GrowingTextArea
            label="还需要办理的内容"
            placeholder="请说明还需要办理的内容"
            value={reason}
            maxLength={500}
            onChange={setReason}
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
