import { Text, View } from '@tarojs/components';
import Taro, { useLoad, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { TicketDetail } from '@mashangshang/shared';
import { api, ApiError, ensureSignedIn } from '../services/api';
import { PageShell } from './page-shell';
import { Button } from './ui';

/**
 * The ticket of a detail page (`?id=`), for residents and members alike: loading with pull-to-refresh,
 * and `act`, which runs one action, shows the ticket the server answered with and the success toast
 * (failures are toasted by the API client).
 */
export function useTicket(options: { onActed?: () => void } = {}) {
  const [id, setId] = useState('');
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (ticketId: string) => {
    setError(null);
    if (!(await ensureSignedIn())) return;
    try {
      setTicket(await api.ticket(ticketId));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : '加载失败');
    } finally {
      void Taro.stopPullDownRefresh();
    }
  };
  useLoad((params: Record<string, string | undefined>) => {
    setId(params.id ?? '');
    if (params.id) void load(params.id);
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

  return { ticket, error, busy, act, reload: () => void load(id) };
}

/** What a ticket page shows until its ticket is loaded: progress, or the error with a retry. */
export function TicketLoading({ error, onRetry }: { error: string | null; onRetry: () => void }) {
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
