import { Picker, Text, View } from '@tarojs/components';
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
import { Button } from '../../components/ui';
import { Chart } from './chart';
import { downloadStatsExport } from './export';
import './index.css';

/** Long group names (studios) shortened on the chart's axis; the table below has them whole. */
const axisLabel = (label: string) => (label.length > 6 ? `${label.slice(0, 6)}…` : label);

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
    <PageShell className="dashboard">
      <View className="card stack">
        <View className="chips range-presets">
          {RANGE_PRESETS.map((p) => (
            <View
              key={p.key}
              className={`chip range-preset range-preset--${p.key}${preset === p.key ? ' chip--on' : ''}`}
              onClick={() => setPreset(p.key)}
            >
              {p.title}
            </View>
          ))}
        </View>
        {preset === 'custom' ? (
          <View className="row custom-range">
            <Picker
              mode="date"
              value={custom.from}
              end={custom.to}
              onChange={(e) => setCustom((c) => ({ ...c, from: String(e.detail.value) }))}
            >
              <View className="chip custom-from">{custom.from}</View>
            </Picker>
            <Text className="muted">至</Text>
            <Picker
              mode="date"
              value={custom.to}
              start={custom.from}
              end={today}
              onChange={(e) => setCustom((c) => ({ ...c, to: String(e.detail.value) }))}
            >
              <View className="chip custom-to">{custom.to}</View>
            </Picker>
          </View>
        ) : null}
        <View className="chips group-bys">
          {STATS_GROUP_BYS.map((g) => (
            <View
              key={g}
              className={`chip group-by group-by--${g}${groupBy === g ? ' chip--on' : ''}`}
              onClick={() => setGroupBy(g)}
            >
              按{STATS_GROUP_BY_LABELS[g]}
            </View>
          ))}
        </View>
        <Text className="small muted range-text">
          {range.from} 至 {range.to}，按留言提交日（北京时间）统计{loading ? '，正在加载…' : ''}
        </Text>
      </View>

      {error && !stats ? (
        <View className="state">
          <Text className="state__text">{error}</Text>
          <Button className="tap" type="primary" fill="outline" onClick={() => void load()}>
            重新加载
          </Button>
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
            <Chart
              className="chart-groups"
              title={`按${STATS_GROUP_BY_LABELS[groupBy]}：留言数与响应率、办结率`}
              height={300}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { bottom: 0 },
                grid: { left: 40, right: 44, top: 24, bottom: 72 },
                xAxis: {
                  type: 'category',
                  data: groups.map((g) => axisLabel(g.label)),
                  axisLabel: { interval: 0, rotate: groups.length > 4 ? 30 : 0 },
                },
                yAxis: [
                  { type: 'value', minInterval: 1, name: '条' },
                  { type: 'value', min: 0, max: 100, name: '%' },
                ],
                series: [
                  { name: '留言数', type: 'bar', barMaxWidth: 28, data: groups.map((g) => g.tickets) },
                  {
                    name: '响应率',
                    type: 'line',
                    yAxisIndex: 1,
                    data: groups.map((g) => (g.responseRate === null ? null : Math.round(g.responseRate * 1000) / 10)),
                  },
                  {
                    name: '办结率',
                    type: 'line',
                    yAxisIndex: 1,
                    data: groups.map((g) =>
                      g.resolutionRate === null ? null : Math.round(g.resolutionRate * 1000) / 10,
                    ),
                  },
                ],
              }}
            />
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
            <Button
              className="tap export-xlsx"
              type="primary"
              loading={exporting === 'xlsx'}
              disabled={exporting !== null}
              onClick={() => void exportAs('xlsx')}
            >
              导出 Excel
            </Button>
            <Button
              className="tap export-csv"
              fill="outline"
              loading={exporting === 'csv'}
              disabled={exporting !== null}
              onClick={() => void exportAs('csv')}
            >
              导出 CSV
            </Button>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}
