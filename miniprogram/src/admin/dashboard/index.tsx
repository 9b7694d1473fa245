import { Text, View } from '@tarojs/components';
import Taro, { useLoad, usePullDownRefresh } from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import {
  STATS_GROUP_BYS,
  STATS_GROUP_BY_LABELS,
  type ExportFormat,
  type StatsGroupBy,
  type StatsResponse,
} from '@mashangshang/shared';
import { api, currentSession } from '../../services/api';
import {
  CATEGORY_FIGURES,
  OUTCOME_FIGURES,
  RANGE_PRESETS,
  STATUS_FIGURES,
  chinaToday,
  headlineFigures,
  minutesText,
  percentText,
  presetRange,
  type RangePreset,
} from '../../services/stats-format';
import { PageShell } from '../../components/page-shell';
import { ActionButton, ChoiceChips } from '../../member/shared/controls';
import { AdminNav } from '../shared/admin-nav';
import { Chart } from './chart';
import { DateField } from './date-field';
import { downloadStatsExport } from './export';
import { GroupBars } from './group-bars';
import './index.css';

/** The office's statistics: figures over a date range, by studio, town, sector or joint group, with charts and exports. */
export default function DashboardPage() {
  const [allowed] = useState(() => currentSession()?.user.role === 'admin');
  const [preset, setPreset] = useState<RangePreset>('month');
  const [custom, setCustom] = useState(() => presetRange('month'));
  const [groupBy, setGroupBy] = useState<StatsGroupBy>('studio');
  const [stats, setStats] = useState<StatsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);

  useLoad(() => {
    if (!allowed) void Taro.redirectTo({ url: '/admin/login/index' });
  });

  const range = preset === 'custom' ? custom : presetRange(preset);
  const query = useMemo(() => ({ from: range.from, to: range.to, groupBy }), [range.from, range.to, groupBy]);

  const load = async () => {
    if (!allowed) return;
    setLoading(true);
    try {
      setStats(await api.adminStats(query));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
      void Taro.stopPullDownRefresh();
    }
  };
  useEffect(() => {
    void load();
  }, [query]);
  usePullDownRefresh(() => void load());

  const exportAs = async (format: ExportFormat) => {
    setExporting(format);
    try {
      await downloadStatsExport(format, query);
    } finally {
      setExporting(null);
    }
  };

  const total = stats?.total;
  const groups = stats?.groups ?? [];
  const today = chinaToday();

  return (
    <PageShell className="dashboard admin-page">
      <AdminNav current="dashboard" />
      <Text className="h1">统计看板</Text>
      <View className="card stack">
        <ChoiceChips
          label="统计时段"
          className="range-presets"
          choices={RANGE_PRESETS.map((p) => ({
            key: p.key,
            title: p.title,
            className: `range-preset range-preset--${p.key}`,
          }))}
          value={preset}
          onChange={setPreset}
        />
        {preset === 'custom' ? (
          <View className="row custom-range">
            <DateField
              className="custom-from"
              label="开始日期"
              value={custom.from}
              end={custom.to}
              onChange={(from) => setCustom((c) => ({ ...c, from }))}
            />
            <Text className="muted">至</Text>
            <DateField
              className="custom-to"
              label="结束日期"
              value={custom.to}
              start={custom.from}
              end={today}
              onChange={(to) => setCustom((c) => ({ ...c, to }))}
            />
          </View>
        ) : null}
        <ChoiceChips
          label="分组方式"
          className="group-bys"
          choices={STATS_GROUP_BYS.map((g) => ({
            key: g,
            title: `按${STATS_GROUP_BY_LABELS[g]}`,
            className: `group-by group-by--${g}`,
          }))}
          value={groupBy}
          onChange={setGroupBy}
        />
        <Text className="small muted range-text">
          {range.from} 至 {range.to}，按留言提交日（北京时间）统计{loading ? '，正在加载…' : ''}
        </Text>
      </View>

      {error && !stats ? (
        <View className="state">
          <Text className="state__text">{error}</Text>
          <ActionButton className="tap" type="primary" fill="outline" onClick={() => void load()}>
            重新加载
          </ActionButton>
        </View>
      ) : null}

      {total ? (
        <>
          <View className="kpis">
            {headlineFigures(total).map((f) => (
              <View key={f.key} className={`card kpi kpi--${f.key}`}>
                <Text className="kpi__title">{f.title}</Text>
                <Text className="kpi__value">{f.value}</Text>
                {f.hint ? <Text className="kpi__hint">{f.hint}</Text> : null}
              </View>
            ))}
          </View>

          <View className="card">
            <Text className="chart-card__title">三转（已办结留言的转化）</Text>
            <View className="figures">
              {OUTCOME_FIGURES.map((o) => (
                <View key={o.key} className={`figure outcome outcome--${o.key}`}>
                  <Text className="figure__value">{total.outcomes[o.key]}</Text>
                  <Text className="figure__title">{o.title}</Text>
                </View>
              ))}
            </View>
          </View>

          <View className="charts">
            <Chart
              className="chart-category"
              title="留言分类"
              summary={CATEGORY_FIGURES.map((c) => `${c.title} ${total.byCategory[c.key]} 条`).join('，')}
              option={{
                tooltip: { trigger: 'item' },
                legend: { bottom: 0 },
                series: [
                  {
                    type: 'pie',
                    radius: ['35%', '65%'],
                    center: ['50%', '45%'],
                    label: { formatter: '{b}\n{c}' },
                    data: CATEGORY_FIGURES.map((c) => ({ name: c.title, value: total.byCategory[c.key] })),
                  },
                ],
              }}
            />
            <Chart
              className="chart-status"
              title="办理状态"
              summary={STATUS_FIGURES.map((f) => `${f.title} ${total.byStatus[f.key]} 条`).join('，')}
              option={{
                tooltip: { trigger: 'axis' },
                grid: { left: 40, right: 16, top: 24, bottom: 28 },
                xAxis: { type: 'category', data: STATUS_FIGURES.map((s) => s.title) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  {
                    type: 'bar',
                    barMaxWidth: 36,
                    label: { show: true, position: 'top' },
                    data: STATUS_FIGURES.map((s) => total.byStatus[s.key]),
                  },
                ],
              }}
            />
          </View>
          {groups.length > 0 ? (
            <GroupBars title={`按${STATS_GROUP_BY_LABELS[groupBy]}：留言数与响应率、办结率`} groups={groups} />
          ) : null}

          <View className="card group-table">
            <View className="group-row group-row--head">
              <Text className="group-row__label">{STATS_GROUP_BY_LABELS[groupBy]}</Text>
              <Text>留言</Text>
              <Text>响应率</Text>
              <Text>办结率</Text>
              <Text>满意率</Text>
              <Text>首次答复</Text>
            </View>
            {[...groups, total].map((g) => (
              <View
                key={g === total ? 'total' : `g-${g.key}`}
                className={`group-row${g === total ? ' group-row--total' : ''}`}
              >
                <Text className="group-row__label">{g.label}</Text>
                <Text className="group-row__tickets">{g.tickets}</Text>
                <Text>{percentText(g.responseRate)}</Text>
                <Text>{percentText(g.resolutionRate)}</Text>
                <Text>{percentText(g.satisfiedShare)}</Text>
                <Text>{minutesText(g.medianFirstResponseMinutes)}</Text>
              </View>
            ))}
          </View>

          <View className="row export-row">
            <ActionButton
              className="tap export-xlsx"
              type="primary"
              loading={exporting === 'xlsx'}
              disabled={exporting !== null}
              onClick={() => void exportAs('xlsx')}
            >
              导出 Excel
            </ActionButton>
            <ActionButton
              className="tap export-csv"
              fill="outline"
              loading={exporting === 'csv'}
              disabled={exporting !== null}
              onClick={() => void exportAs('csv')}
            >
              导出 CSV
            </ActionButton>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}
