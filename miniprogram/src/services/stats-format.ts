import type { StatsGroup } from '@mashangshang/shared';

/** Date ranges the office reports by; days are China's (UTC+8), as the statistics API counts them. */
export type RangePreset = 'month' | 'quarter' | 'year' | 'custom';
export const RANGE_PRESETS: { key: RangePreset; title: string }[] = [
  { key: 'month', title: '本月' },
  { key: 'quarter', title: '本季度' },
  { key: 'year', title: '本年' },
  { key: 'custom', title: '自定义' },
];

export const chinaToday = (now = Date.now()): string => new Date(now + 8 * 3600_000).toISOString().slice(0, 10);

/** From the first day of this month, quarter or year to today. */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, now = Date.now()): { from: string; to: string } {
  const to = chinaToday(now);
  const year = to.slice(0, 4);
  const month = Number(to.slice(5, 7));
  if (preset === 'year') return { from: `${year}-01-01`, to };
  if (preset === 'quarter')
    return { from: `${year}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0')}-01`, to };
  return { from: `${to.slice(0, 7)}-01`, to };
}

/** 0–1 (or null: nothing to compute from) as the office writes it: 87.5%. */
export const percentText = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

export function minutesText(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 60) return `${Math.round(minutes)} 分钟`;
  if (minutes < 1440) return `${Math.round((minutes / 60) * 10) / 10} 小时`;
  return `${Math.round((minutes / 1440) * 10) / 10} 天`;
}

const ratingText = (rating: number | null): string => (rating === null ? '—' : `${rating} 分`);

/** 三转: tickets turned into a consultation, a proposal, public-opinion information or a service project. */
export const OUTCOME_FIGURES: { key: keyof StatsGroup['outcomes']; title: string }[] = [
  { key: 'consultation', title: '转协商建议' },
  { key: 'proposal', title: '转提案' },
  { key: 'public_opinion', title: '转社情民意' },
  { key: 'service_project', title: '转服务项目' },
];

export const CATEGORY_FIGURES: { key: keyof StatsGroup['byCategory']; title: string }[] = [
  { key: 'consult', title: '咨询问题' },
  { key: 'suggest', title: '反映建议' },
  { key: 'help', title: '寻求帮助' },
];

export const STATUS_FIGURES: { key: keyof StatsGroup['byStatus']; title: string }[] = [
  { key: 'pending', title: '待分配' },
  { key: 'assigned', title: '待回复' },
  { key: 'answered', title: '已回复' },
  { key: 'resolved', title: '已办结' },
];

/** The headline figures of a group, in the order both the dashboard and a member's page show them. */
export function headlineFigures(g: StatsGroup): { key: string; title: string; value: string; hint?: string }[] {
  return [
    { key: 'tickets', title: '留言总数', value: String(g.tickets) },
    {
      key: 'response',
      title: '响应率',
      value: percentText(g.responseRate),
      hint: `按时答复 ${g.answeredInTime} / 应答复 ${g.due}`,
    },
    { key: 'resolution', title: '办结率', value: percentText(g.resolutionRate), hint: `已办结 ${g.byStatus.resolved}` },
    {
      key: 'satisfaction',
      title: '满意率',
      value: percentText(g.satisfiedShare),
      hint: `评价 ${g.rated} 条，平均 ${ratingText(g.averageRating)}`,
    },
    { key: 'median', title: '首次答复中位数', value: minutesText(g.medianFirstResponseMinutes) },
    {
      key: 'outcomes',
      title: '三转合计',
      value: String(OUTCOME_FIGURES.reduce((sum, o) => sum + g.outcomes[o.key], 0)),
    },
  ];
}
