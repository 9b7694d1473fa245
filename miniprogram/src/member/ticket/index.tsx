import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { TICKET_OUTCOMES, TICKET_OUTCOME_LABELS, type TicketOutcome } from '@mashangshang/shared';
import { api, currentSession } from '../../services/api';
import { newIdempotencyKey } from '../../services/ids';
import { PageShell } from '../../components/page-shell';
import { TicketBody } from '../../components/ticket-body';
import { TicketLoading, useTicket } from '../../components/use-ticket';
import { Timeline } from '../../components/timeline';
import { Button, TextArea } from '../../components/ui';

type Panel = 'reply' | 'transfer' | 'resolve';
interface Colleague {
  id: string;
  name: string;
  title: string;
}

/** A member handles a ticket: reply, internal note, transfer to a colleague, resolve with its 三转 outcome. */
export default function MemberTicketPage() {
  const [text, setText] = useState('');
  // One key per draft text: resending the same text is the same reply; an edited text is a new one.
  const [draftKey, setDraftKey] = useState(newIdempotencyKey);
  const editText = (value: string) => {
    setText(value);
    setDraftKey(newIdempotencyKey());
  };
  const { ticket, error, busy, act, reload } = useTicket({ onActed: () => editText('') });
  const [panel, setPanel] = useState<Panel>('reply');
  const [colleagues, setColleagues] = useState<Colleague[] | null>(null);
  const [outcome, setOutcome] = useState<TicketOutcome>('none');

  const openTransfer = async () => {
    setPanel('transfer');
    if (!ticket || colleagues) return;
    try {
      if (currentSession()?.user.role === 'admin') {
        const page = await api.adminMembers({ studioId: ticket.studio.id, limit: 100 });
        const available = page.items.filter((m) => m.active && m.bound);
        setColleagues(available.map((m) => ({ id: m.id, name: m.name, title: m.title })));
      } else {
        setColleagues((await api.studio(ticket.studio.id)).members);
      }
    } catch {
      setColleagues([]);
    }
  };

  if (!ticket) return <TicketLoading error={error} onRetry={reload} />;

  // Every action below answers with the ticket as it now is, which `act` shows.
  const content = text.trim();
  const sendReply = () => act(() => api.reply(ticket.id, { content }, `${draftKey}-r`), '已回复');
  const sendNote = () => act(() => api.reply(ticket.id, { content, internal: true }, `${draftKey}-n`), '已添加备注');
  const transfer = (c: Colleague) => act(() => api.assign(ticket.id, { memberId: c.id }), `已转交${c.name}`);
  const resolve = () => act(() => api.resolve(ticket.id, content ? { outcome, note: content } : { outcome }), '已办结');
  // Except the image check, which answers with the image: read the ticket (and its new timeline event) again.
  const decideImage = (imageId: string, verdict: 'pass' | 'risky') =>
    act(
      async () => {
        await api.decideImageCheck(imageId, { verdict });
        return api.ticket(ticket.id);
      },
      verdict === 'pass' ? '已允许展示' : '已设为不予展示',
    );

  const open = ticket.status !== 'resolved';
  const panels: { key: Panel; title: string }[] = [
    { key: 'reply', title: '回复' },
    { key: 'transfer', title: '转交' },
    { key: 'resolve', title: '办结' },
  ];

  return (
    <PageShell>
      <TicketBody
        ticket={ticket}
        forMember
        onImageDecision={
          currentSession()?.user.role === 'admin' ? (imageId, verdict) => void decideImage(imageId, verdict) : undefined
        }
      />

      {open ? (
        <View className="card">
          <View className="chips">
            {panels.map((p) => (
              <View
                key={p.key}
                className={`chip panel-${p.key}${panel === p.key ? ' chip--on' : ''}`}
                onClick={() => (p.key === 'transfer' ? void openTransfer() : setPanel(p.key))}
              >
                {p.title}
              </View>
            ))}
          </View>

          {panel === 'reply' ? (
            <View className="stack">
              <TextArea
                className="input-box reply-input"
                placeholder="回复群众（群众可见），或写一条内部备注（仅委员和机关可见）"
                value={text}
                maxLength={2000}
                rows={4}
                onChange={(value: string) => editText(value)}
              />
              <Button
                className="btn-block send-reply"
                type="primary"
                loading={busy}
                disabled={busy || !content}
                onClick={() => void sendReply()}
              >
                发送回复
              </Button>
              <Button
                className="btn-block send-note"
                fill="outline"
                disabled={busy || !content}
                onClick={() => void sendNote()}
              >
                添加内部备注
              </Button>
            </View>
          ) : null}

          {panel === 'transfer' ? (
            <View className="member-pick">
              {colleagues === null ? <Text className="muted">正在加载委员…</Text> : null}
              {colleagues?.length === 0 ? <Text className="muted">本工作室没有其他可转交的委员</Text> : null}
              {colleagues
                ?.filter((c) => c.id !== ticket.assignee?.id)
                .map((c) => (
                  <Button
                    key={c.id}
                    className="btn-block"
                    fill="outline"
                    disabled={busy}
                    onClick={() => void transfer(c)}
                  >
                    转交给 {c.name}（{c.title}）
                  </Button>
                ))}
            </View>
          ) : null}

          {panel === 'resolve' ? (
            <View className="stack">
              <Text className="field__label">办理结果（三转）</Text>
              <View className="chips">
                {TICKET_OUTCOMES.map((o) => (
                  <View key={o} className={`chip${outcome === o ? ' chip--on' : ''}`} onClick={() => setOutcome(o)}>
                    {TICKET_OUTCOME_LABELS[o]}
                  </View>
                ))}
              </View>
              <TextArea
                className="input-box"
                placeholder="办结说明（选填）"
                value={text}
                maxLength={500}
                rows={3}
                onChange={(value: string) => editText(value)}
              />
              <Button className="btn-block send-resolve" type="primary" disabled={busy} onClick={() => void resolve()}>
                确认办结
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}

      <Text className="h2">办理记录</Text>
      <View className="card">
        <Timeline events={ticket.timeline} />
      </View>
    </PageShell>
  );
}
