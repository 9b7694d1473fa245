import { Text, View } from '@tarojs/components';
import Taro, { useLoad, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { TicketDetail } from '@mashangshang/shared';
import { api, ApiError, ensureSignedIn } from '../services/api';
import { PageShell } from './page-shell';
import { ErrorState, failureOf, type Failure } from './error-state';
import { Button } from './ui';

const TICKET_NOT_FOUND: Failure = {
  title: '没有找到这条留言',
  hint: '它可能不是用您现在的微信提交的。您提交过的留言都在“我的留言”里。',
  retry: false,
};

/**
 * The ticket of a detail page (`?id=`), for residents and members alike: loading with pull-to-refresh,
 * and `act`, which runs one action, shows the ticket the server answered with and the success toast
 * (failures are toasted by the API client).
 */
export function useTicket(options: { onActed?: () => void } = {}) {
  const [id, setId] = useState('');
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (ticketId: string) => {
    setError(null);
    setFailure(null);
    if (!(await ensureSignedIn())) return;
    try {
      // Silent: the page says what went wrong in place of the ticket, no toast on top of it.
      setTicket(await api.ticket(ticketId, true));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : '加载失败');
      setFailure(failureOf(caught, TICKET_NOT_FOUND));
    } finally {
      void Taro.stopPullDownRefresh();
    }
  };
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    if (params.id) void load(params.id);
    else setFailure(TICKET_NOT_FOUND);
  });
  usePullDownRefresh(() => void load(id));

  /** `action` answers with the ticket as it now is (every ticket action does): no second request. */
  const act = async (action: () => Promise<TicketDetail>, done: string) => {
    setBusy(true);
    try {
      setTicket(await action());
      options.onActed?.();
      void Taro.showToast({ title: done, icon: 'success' });
    } catch {
      // toast already shown by the API client
    } finally {
      setBusy(false);
    }
  };

  return { ticket, error, failure, busy, act, reload: () => void load(id) };
}

/**
 * What a ticket page shows until its ticket is loaded: progress, or the error with a retry. On the
 * resident's page (`failure` given) the error says what to do, with the way home and 我的留言.
 */
export function TicketLoading({
  error,
  failure,
  onRetry,
}: {
  error: string | null;
  failure?: Failure | null;
  onRetry: () => void;
}) {
  if (failure !== undefined) {
    return (
      <PageShell resident="other" title="留言详情">
        {failure ? (
          <ErrorState failure={failure} onRetry={onRetry} />
        ) : (
          <View className="state" role="status">
            <Text className="state__text">正在加载…</Text>
          </View>
        )}
      </PageShell>
    );
  }
  return (
    <PageShell>
      <View className="state">
        <Text className="state__text">{error ?? '正在加载…'}</Text>
        {error ? (
          <Button className="tap" fill="outline" onClick={onRetry}>
            重新加载
          </Button>
        ) : null}
      </View>
    </PageShell>
  );
}
