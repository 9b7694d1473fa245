import { Text, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import { TICKET_OUTCOMES, TICKET_OUTCOME_LABELS, type TicketOutcome } from '@mashangshang/shared';
import { api, currentSession } from '../../services/api';
import { newIdempotencyKey } from '../../services/ids';
import { PageShell } from '../../components/page-shell';
import { TicketBody } from '../../components/ticket-body';
import { useTicket } from '../../components/use-ticket';
import { Timeline } from '../../components/timeline';
import { TextArea } from '../../components/ui';
import { ActionButton, ChoiceChips, TabBar, Tap } from '../shared/controls';
import { formatTime } from '../../services/format';
import { StaffBar } from '../shared/staff-bar';
import { AdminNav } from '../../admin/shared/admin-nav';
import { CannedReplyPicker } from './canned-reply-picker';
import './index.css';

type Panel = 'reply' | 'ask' | 'note' | 'transfer' | 'resolve';
/** The things a member writes here, each in its own box: one never becomes another. */
type Draft = 'reply' | 'ask' | 'note' | 'resolve';
interface Colleague {
  id: string;
  name: string;
  title: string;
}

/** A text being written, with its Idempotency-Key: resending the same text is the same action, an edited one a new one. */
function useDraft() {
  const [text, setText] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  return {
    text,
    key,
    edit: (value: string) => {
      setText(value);
      setKey(newIdempotencyKey());
    },
  };
}

/**
 * A member (or an admin, from the board) handles a ticket: a public reply to the resident, an
 * internal note for colleagues, a transfer, or 办结 with its 三转 outcome. The reply and the note
 * are separate tabs with separate boxes and one button each, so a note cannot go out as a reply.
 */
export default function MemberTicketPage() {
  const reply = useDraft();
  const note = useDraft();
  const resolution = useDraft();
  const question = useDraft();
  const drafts: Record<Draft, ReturnType<typeof useDraft>> = { reply, ask: question, note, resolve: resolution };
  // Which draft the action under way was sent from: only that one is emptied when it succeeds.
  const sending = useRef<Draft | null>(null);
  const { ticket, error, busy, act, reload } = useTicket({
    onActed: () => {
      if (sending.current) drafts[sending.current].edit('');
      sending.current = null;
    },
  });
  const [panel, setPanel] = useState<Panel>('reply');
  const [colleagues, setColleagues] = useState<Colleague[] | null>(null);
  const [outcome, setOutcome] = useState<TicketOutcome>('none');
  const isAdmin = currentSession()?.user.role === 'admin';

  const loadColleagues = async () => {
    if (!ticket || colleagues) return;
    try {
      if (isAdmin) {
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
  const choosePanel = (next: Panel) => {
    setPanel(next);
    if (next === 'transfer') void loadColleagues();
  };

  const pageClass = isAdmin ? 'admin-page' : 'staff-page';
  // The admin menu on the admin's ticket page as on every admin page; a member's way back otherwise.
  const top = isAdmin ? <AdminNav current={null} /> : <StaffBar />;
  if (!ticket)
    return (
      <PageShell className={pageClass}>
        {top}
        <View className="state">
          <Text className="state__text">{error ?? '正在加载…'}</Text>
          {error ? (
            <ActionButton className="tap" fill="outline" onClick={reload}>
              重新加载
            </ActionButton>
          ) : null}
        </View>
      </PageShell>
    );

  const send = (draft: Draft, action: () => Promise<void>) => {
    sending.current = draft;
    return action();
  };
  // Every action below answers with the ticket as it now is, which `act` shows.
  const sendReply = () =>
    send('reply', () =>
      act(() => api.reply(ticket.id, { content: reply.text.trim() }, `${reply.key}-r`), '已回复群众'),
    );
  const sendNote = () =>
    send('note', () =>
      act(() => api.reply(ticket.id, { content: note.text.trim(), internal: true }, `${note.key}-n`), '已添加内部备注'),
    );
  const askResident = () =>
    send('ask', () => act(() => api.requestInfo(ticket.id, { question: question.text.trim() }), '已请群众补充信息'));
  const transfer = (c: Colleague) => act(() => api.assign(ticket.id, { memberId: c.id }), `已转交${c.name}`);
  const resolveNote = resolution.text.trim();
  const resolve = () =>
    send('resolve', () =>
      act(() => api.resolve(ticket.id, resolveNote ? { outcome, note: resolveNote } : { outcome }), '已办结'),
    );
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
  // 办结 follows a public reply (the server refuses it before one).
  const canResolve = ticket.status === 'answered';
  // 待补充: while the ticket waits on its resident, only notes and transfers (the clock is paused).
  const waiting = ticket.status === 'waiting';
  const panels: { key: Panel; title: string }[] = (
    [
      { key: 'reply', title: '回复群众' },
      { key: 'ask', title: '请补充' },
      { key: 'note', title: '内部备注' },
      { key: 'transfer', title: '转交' },
      { key: 'resolve', title: '办结' },
    ] as const
  ).filter((p) => !waiting || p.key === 'note' || p.key === 'transfer');
  const shownPanel = panels.some((p) => p.key === panel) ? panel : 'note';

  return (
    <PageShell className={pageClass}>
      {top}
      <TicketBody
        ticket={ticket}
        forMember
        onImageDecision={isAdmin ? (imageId, verdict) => void decideImage(imageId, verdict) : undefined}
      />

      {ticket.waiting ? (
        <View className="card waiting-banner" role="status">
          <Text className="waiting-banner__title block">正在等待群众补充信息（答复时限已暂停）</Text>
          <Text className="block">已请群众补充：{ticket.waiting.question}</Text>
          <Text className="muted block">
            {formatTime(ticket.waiting.since)} 发出
            {ticket.waiting.until ? `，${formatTime(ticket.waiting.until)} 前未补充将按“未补充”办结` : ''}。
            群众补充后，答复时限接着计算。
          </Text>
        </View>
      ) : null}

      {open ? (
        <View className="card handle">
          <TabBar
            label="处理这条留言"
            className="panels"
            tabs={panels}
            tabClassPrefix="panel-"
            value={shownPanel}
            onChange={choosePanel}
          />
          <View
            className="handle__panel"
            {...{ role: 'tabpanel', 'aria-label': panels.find((p) => p.key === shownPanel)?.title }}
          >
            {shownPanel === 'ask' ? (
              <View className="stack">
                <Text className="field__label">请群众补充信息（留言人可以看到）</Text>
                <Text className="muted">
                  发出后答复时限暂停，群众补充后接着计算；群众逾期未补充，留言将按“未补充”办结。
                </Text>
                <TextArea
                  className="input-box ask-input"
                  placeholder="如：请告诉我们具体是哪个小区、哪一栋楼"
                  value={question.text}
                  maxLength={500}
                  rows={3}
                  onChange={(value: string) => question.edit(value)}
                />
                <ActionButton
                  className="btn-block send-ask"
                  type="primary"
                  loading={busy}
                  disabled={busy || question.text.trim().length < 2}
                  onClick={() => void askResident()}
                >
                  请群众补充
                </ActionButton>
              </View>
            ) : null}

            {shownPanel === 'reply' ? (
              <View className="stack">
                <Text className="field__label">回复群众（留言人可以看到）</Text>
                <TextArea
                  className="input-box reply-input"
                  placeholder="写给留言群众的回复"
                  value={reply.text}
                  maxLength={2000}
                  rows={4}
                  onChange={(value: string) => reply.edit(value)}
                />
                <CannedReplyPicker
                  ticket={ticket}
                  onInsert={(text) => reply.edit(reply.text.trim() ? `${reply.text.trimEnd()}\n${text}` : text)}
                />
                <ActionButton
                  className="btn-block send-reply"
                  type="primary"
                  loading={busy}
                  disabled={busy || !reply.text.trim()}
                  onClick={() => void sendReply()}
                >
                  发送回复
                </ActionButton>
              </View>
            ) : null}

            {shownPanel === 'note' ? (
              <View className="stack handle__note">
                <Text className="field__label">内部备注（仅委员和机关可见，群众看不到）</Text>
                <TextArea
                  className="input-box note-input"
                  placeholder="写给同事和机关的备注，不会发给群众"
                  value={note.text}
                  maxLength={2000}
                  rows={4}
                  onChange={(value: string) => note.edit(value)}
                />
                <ActionButton
                  className="btn-block send-note"
                  fill="outline"
                  loading={busy}
                  disabled={busy || !note.text.trim()}
                  onClick={() => void sendNote()}
                >
                  保存内部备注
                </ActionButton>
              </View>
            ) : null}

            {shownPanel === 'transfer' ? (
              <View className="member-pick">
                <Text className="field__label">转交给本工作室的其他委员</Text>
                {colleagues === null ? <Text className="muted">正在加载委员…</Text> : null}
                {colleagues?.filter((c) => c.id !== ticket.assignee?.id).length === 0 ? (
                  <Text className="muted">本工作室没有其他可转交的委员</Text>
                ) : null}
                {colleagues
                  ?.filter((c) => c.id !== ticket.assignee?.id)
                  .map((c) => (
                    <Tap
                      key={c.id}
                      className="transfer-to"
                      disabled={busy}
                      label={`转交给 ${c.name}，${c.title}`}
                      onTap={() => void transfer(c)}
                    >
                      <View className="transfer-to__text">
                        <Text className="transfer-to__name">转交给 {c.name}</Text>
                        {c.title ? <Text className="transfer-to__title">{c.title}</Text> : null}
                      </View>
                    </Tap>
                  ))}
              </View>
            ) : null}

            {shownPanel === 'resolve' ? (
              <View className="stack">
                {canResolve ? null : (
                  <Text className="warn resolve-first">请先在“回复群众”中答复，答复后才能办结。</Text>
                )}
                <Text className="field__label">办理结果（三转）</Text>
                <ChoiceChips
                  label="办理结果（三转）"
                  choices={TICKET_OUTCOMES.map((o) => ({ key: o, title: TICKET_OUTCOME_LABELS[o] }))}
                  value={outcome}
                  onChange={setOutcome}
                />
                <Text className="field__label">办结说明（选填，留言人可以看到）</Text>
                <TextArea
                  className="input-box resolve-input"
                  placeholder="如：已协调城管中队修复"
                  value={resolution.text}
                  maxLength={500}
                  rows={3}
                  onChange={(value: string) => resolution.edit(value)}
                />
                <ActionButton
                  className="btn-block send-resolve"
                  type="primary"
                  loading={busy}
                  disabled={busy || !canResolve}
                  onClick={() => void resolve()}
                >
                  确认办结
                </ActionButton>
              </View>
            ) : null}
          </View>
        </View>
      ) : null}

      <Text className="h2">办理记录</Text>
      <View className="card">
        <Timeline events={ticket.timeline} />
      </View>
    </PageShell>
  );
}
