import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../services/api';
import { failureOf, type Failure } from './error-state';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A cursor-paged list with pull-to-refresh, load-more at the bottom and a refresh each time the
 * page shows again (so a reply sent on the detail page shows in the list after going back).
 */
export function usePagedList<T>(fetchPage: (cursor?: string) => Promise<Page<T>>, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const generation = useRef(0);
  const shownOnce = useRef(false);

  const load = useCallback(async (cursor?: string) => {
    const mine = cursor ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    setFailure(null);
    try {
      const page = await fetchPage(cursor);
      if (mine !== generation.current) return;
      setItems((previous) => (cursor ? [...previous, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
    } catch (caught) {
      if (mine === generation.current) {
        setError(caught instanceof ApiError ? caught.message : '加载失败，请稍后重试');
        setFailure(failureOf(caught));
      }
    } finally {
      if (mine === generation.current) setLoading(false);
      void Taro.stopPullDownRefresh();
    }
  }, deps);

  const refresh = useCallback(() => load(), [load]);
  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    if (shownOnce.current) void load();
    shownOnce.current = true;
  });
  usePullDownRefresh(() => void load());
  useReachBottom(() => {
    if (nextCursor && !loading) void load(nextCursor);
  });

  return {
    items,
    setItems,
    loading,
    error,
    /** The error as words for an error page (what happened, what to do). */
    failure,
    hasMore: nextCursor !== null,
    refresh,
    loadMore: () => nextCursor && load(nextCursor),
  };
}
