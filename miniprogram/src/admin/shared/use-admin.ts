import Taro, { useLoad } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { AdminStudioSummary } from '@mashangshang/shared';
import { api, currentSession } from '../../services/api';

/** Sent with the new studio's id when the studio form creates one: the studio list shows it first. */
export const STUDIO_CREATED_EVENT = 'mss:studio-created';

/** Not signed in as an admin: straight to the password page, without requests that would fail. */
export function useAdminGuard(): boolean {
  const [allowed] = useState(() => currentSession()?.user.role === 'admin');
  useLoad(() => {
    if (!allowed) void Taro.redirectTo({ url: '/admin/login/index' });
  });
  return allowed;
}

/** Every studio (in use and retired), for pickers and for naming a member's studios. */
export function useAllStudios(allowed: boolean) {
  const [studios, setStudios] = useState<AdminStudioSummary[]>([]);
  const load = useCallback(async () => {
    if (!allowed) return;
    const all: AdminStudioSummary[] = [];
    let cursor: string | undefined;
    // A county has a few dozen studios; 5 pages of 100 is far beyond that.
    for (let page = 0; page < 5; page += 1) {
      const result = await api.adminStudios({ limit: 100, cursor });
      all.push(...result.items);
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    setStudios(all);
  }, [allowed]);
  useEffect(() => {
    load().catch(() => undefined);
  }, [load]);
  return { studios, reload: load };
}

export function studioPlace(studio: { kind: string; town: string | null; sector: string | null }): string {
  return studio.kind === 'town' ? `镇街 · ${studio.town ?? ''}` : `界别 · ${studio.sector ?? ''}`;
}
