import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { StudioStatsResponse } from '@mashangshang/shared';
import { api, currentSession, ensureSignedIn } from '../../services/api';
import {
  CATEGORY_FIGURES,
  OUTCOME_FIGURES,
  RANGE_PRESETS,
  STATUS_FIGURES,
  headlineFigures,
  presetRange,
} from '../../services/stats-format';
import { PageShell } from '../../components/page-shell';
import { NotAMember } from '../shared/not-a-member';
import { ChoiceChips } from '../shared/controls';
import { StaffBar } from '../shared/staff-bar';

type Preset = 'month' | 'quarter' | 'year';
const PRESETS = RANGE_PRESETS.filter((p): p is { key: Preset; title: string } => p.key !== 'custom');

/** A member's own studios' figures (no charts: the member subpackage stays light). */
export default function MemberStatsPage() {
  const [preset, setPreset] = useState<Preset>('month');
  const [studios, setStudios] = useState<StudioStatsResponse[] | null>(null);
  const [isMember, setIsMember] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    const session = currentSession() ?? (await ensureSignedIn());
    if (!session || session.user.role !== 'member') {
      setIsMember(false);
      return;
    }
    const range = presetRange(preset);
    try {
      setStudios(await Promise.all(session.user.studioIds.map((id) => api.studioStats(id, range))));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      void Taro.stopPullDownRefresh();
    }
  };
  useEffect(() => {
    void load();
  }, [preset]);
  usePullDownRefresh(() => void load());

  if (!isMember) return <NotAMember />;

  const range = presetRange(preset);
  return (
    <PageShell className="staff-page">
      <StaffBar />
      <ChoiceChips
        label="统计时段"
        choices={PRESETS.map((p) => ({ key: p.key, title: p.title, className: `range-preset range-preset--${p.key}` }))}
        value={preset}
        onChange={setPreset}
      />
      <Text className="small muted">
        {range.from} 至 {range.to}，按留言提交日统计
      </Text>
      {error ? <Text className="state__text">{error}</Text> : null}
      {studios === null && !error ? <Text className="state__text">正在加载…</Text> : null}
      {studios?.map(({ studio: g }) => (
        <View key={g.key} className="card stack studio-stats">
          <Text className="h2 studio-stats__name" style={{ margin: 0 }}>
            {g.label}
          </Text>
          {headlineFigures(g).map((f) => (
            <View key={f.key} className={`row row--between stat stat--${f.key}`}>
              <Text className="muted">{f.title}</Text>
              <Text className="stat__value">{f.value}</Text>
            </View>
          ))}
          <Text className="small muted">
            {[
              ...CATEGORY_FIGURES.map((c) => `${c.title} ${g.byCategory[c.key]}`),
              ...STATUS_FIGURES.map((s) => `${s.title} ${g.byStatus[s.key]}`),
            ].join(' · ')}
          </Text>
          <Text className="small muted">
            {OUTCOME_FIGURES.map((o) => `${o.title} ${g.outcomes[o.key]}`).join(' · ')}
          </Text>
        </View>
      ))}
    </PageShell>
  );
}
