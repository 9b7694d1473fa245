import { Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import type { BusinessDay, CalendarYear } from '@mashangshang/shared';
import { api, ApiError } from '../../services/api';
import { PageShell } from '../../components/page-shell';
import { Input } from '../../components/ui';
import { ActionButton, Badge, ChoiceChips, confirmAction } from '../../member/shared/controls';
import { AdminNav } from '../shared/admin-nav';
import { useAdminGuard } from '../shared/use-admin';
import { DateField } from '../dashboard/date-field';
import './index.css';

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
/** The weekday of a YYYY-MM-DD date (a calendar date: no time zone to get wrong). */
const weekdayOf = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? '';
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
/** The date in China (UTC+8), where the office is. */
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

type DayKind = 'off' | 'work';
const KIND_CHOICES: { key: DayKind; title: string; className: string }[] = [
  { key: 'off', title: '放假', className: 'calendar-kind-off' },
  { key: 'work', title: '上班', className: 'calendar-kind-work' },
];
const SOURCE_LABELS: Record<BusinessDay['source'], string> = { official: '内置', override: '本办录入' };

/**
 * 工作日历: the days deadlines counted in working days skip or count. Weekends are off and weekdays
 * on, except the days listed here: the State Council's holidays and 调休 workdays (built in for the
 * years the data has) and what the office entered. Each December the State Council publishes next
 * year's arrangement; until the built-in data has it, the office enters it here.
 */
export default function AdminCalendarPage() {
  const allowed = useAdminGuard();
  const thisYear = Number(chinaToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [calendar, setCalendar] = useState<CalendarYear | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<DayKind>('off');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const load = async (wanted: number) => {
    setLoadError(null);
    setCalendar(null);
    try {
      setCalendar(await api.adminCalendar(wanted));
    } catch (failure) {
      setLoadError(failure instanceof ApiError ? failure.message : '加载失败');
    }
  };
  const chooseYear = (next: number) => {
    setYear(next);
    setDate('');
    setName('');
    void load(next);
  };
  useLoad((params: Record<string, string | undefined>) => {
    if (!allowed) return;
    const asked = Number(params.year);
    chooseYear(Number.isInteger(asked) && asked >= 2004 && asked <= 2099 ? asked : thisYear);
  });

  const years = [...new Set([thisYear - 1, thisYear, thisYear + 1, thisYear + 2, year])].sort((a, b) => a - b);
  const entered = calendar?.days.find((day) => day.date === date) ?? null;
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && date.startsWith(`${year}-`) && name.trim() !== '';

  const save = async () => {
    setBusy(true);
    try {
      setCalendar(await api.adminSetCalendarDay(date, { workday: kind === 'work', name: name.trim() }));
      void Taro.showToast({ title: '已保存', icon: 'success' });
      setDate('');
      setName('');
    } catch {
      // toast already shown
    } finally {
      setBusy(false);
    }
  };
  const clear = async (day: BusinessDay) => {
    const confirmed = await confirmAction({
      title: '撤销录入',
      content: `撤销 ${day.date}（${day.name}）的录入后，这一天按内置日历计算。确定撤销吗？`,
      confirmText: '撤销',
    });
    if (!confirmed) return;
    try {
      setCalendar(await api.adminClearCalendarDay(day.date));
      void Taro.showToast({ title: '已撤销', icon: 'success' });
    } catch {
      // toast already shown
    }
  };
  const edit = (day: BusinessDay) => {
    setDate(day.date);
    setKind(day.workday ? 'work' : 'off');
    setName(day.name);
  };

  return (
    <PageShell className="admin-page">
      <AdminNav current="calendar" />
      <Text className="h1">工作日历</Text>
      <Text className="block muted small page-intro">
        答复时限按工作日计的工作室，按这份日历计算：周一至周五上班、周末休息，下列日子除外。
      </Text>
      <ChoiceChips
        label="年份"
        className="calendar-years"
        choices={years.map((y) => ({ key: String(y), title: `${y} 年`, className: `calendar-year-${y}` }))}
        value={String(year)}
        onChange={(y) => chooseYear(Number(y))}
      />

      {!calendar ? (
        <View className="state">
          <Text className="state__text">{loadError ?? '正在加载…'}</Text>
          {loadError ? (
            <ActionButton className="tap" fill="outline" onClick={() => void load(year)}>
              重新加载
            </ActionButton>
          ) : null}
        </View>
      ) : (
        <>
          {calendar.official ? (
            <Text className="block small calendar-official">
              已内置国务院办公厅 {year} 年部分节假日安排。本地另有安排时可在下面录入，录入的优先。
            </Text>
          ) : (
            <View className="calendar-missing" {...{ role: 'note' }}>
              <Badge tone="warn">未内置 {year} 年放假安排</Badge>
              <Text className="calendar-missing__text">
                {`系统还没有国务院办公厅 ${year} 年部分节假日安排。请在通知发布后，按通知在下面逐日录入放假的日子和调休上班的周末；录入之前，${year} 年只按周末休息计算，节假日会被当作工作日，按工作日计的答复时限会因此提前。`}
              </Text>
            </View>
          )}

          <View className="card stack calendar-form">
            <Text className="h2 calendar-form__title">录入或修改一天</Text>
            <Text className="field__label">日期</Text>
            <View className="row">
              <DateField
                label="日期"
                className="calendar-date"
                value={date}
                start={`${year}-01-01`}
                end={`${year}-12-31`}
                onChange={(value) => {
                  setDate(value);
                  const known = calendar.days.find((day) => day.date === value);
                  if (known) {
                    setKind(known.workday ? 'work' : 'off');
                    setName(known.name);
                  }
                }}
              />
              {date ? (
                <Text className="small">
                  {weekdayOf(date)}
                  {isWeekend(date) ? '（周末）' : ''}
                </Text>
              ) : null}
            </View>
            {date && !date.startsWith(`${year}-`) ? (
              <Text className="warn small">请选择 {year} 年的日期，或先在上面换年份。</Text>
            ) : null}
            {entered ? (
              <Text className="small calendar-form__entered">
                这一天现为：{entered.name}（{entered.workday ? '上班' : '放假'}，{SOURCE_LABELS[entered.source]}
                ），保存后按这里填写的计算。
              </Text>
            ) : null}
            <Text className="field__label">这一天</Text>
            <ChoiceChips label="这一天" choices={KIND_CHOICES} value={kind} onChange={setKind} />
            <Text className="field__label">说明</Text>
            <Input
              className="input-box calendar-name-input"
              placeholder={kind === 'off' ? '说明，如：春节' : '说明，如：春节调休上班'}
              value={name}
              maxLength={40}
              onChange={(value: string) => setName(value)}
            />
            <ActionButton
              className="btn-block save-calendar-day"
              type="primary"
              loading={busy}
              disabled={busy || !valid}
              onClick={() => void save()}
            >
              保存
            </ActionButton>
          </View>

          <Text className="h2">
            {year} 年的节假日和调休上班日（{calendar.days.length} 天）
          </Text>
          {calendar.days.length === 0 ? (
            <Text className="block muted calendar-empty">这一年还没有节假日或调休上班日，只按周末休息计算。</Text>
          ) : (
            <View className="card calendar-days" {...{ role: 'list', 'aria-label': `${year} 年的节假日和调休上班日` }}>
              {calendar.days.map((day) => (
                <View
                  key={day.date}
                  className={`calendar-day calendar-day--${day.source}`}
                  data-date={day.date}
                  {...{ role: 'listitem' }}
                >
                  <View className="calendar-day__what">
                    <Text className="calendar-day__date">
                      {day.date} {weekdayOf(day.date)}
                    </Text>
                    <Text className="calendar-day__name">{day.name}</Text>
                  </View>
                  <View className="row calendar-day__tags">
                    <Badge tone={day.workday ? 'info' : 'warn'}>{day.workday ? '调休上班' : '放假'}</Badge>
                    <Badge tone={day.source === 'override' ? 'ok' : 'plain'} className="calendar-day__source">
                      {SOURCE_LABELS[day.source]}
                    </Badge>
                  </View>
                  <View className="row calendar-day__actions">
                    <ActionButton
                      className="tap edit-calendar-day"
                      fill="outline"
                      label={`修改 ${day.date}（${day.name}）`}
                      onClick={() => edit(day)}
                    >
                      修改
                    </ActionButton>
                    {day.source === 'override' ? (
                      <ActionButton
                        className="tap clear-calendar-day"
                        type="danger"
                        fill="outline"
                        label={`撤销 ${day.date}（${day.name}）的录入`}
                        onClick={() => void clear(day)}
                      >
                        撤销录入
                      </ActionButton>
                    ) : null}
                  </View>
                </View>
              ))}
            </View>
          )}
        </>
      )}
    </PageShell>
  );
}
