import { Text, View } from '@tarojs/components';
import type { StatsGroup } from '@mashangshang/shared';
import { percentText } from '../../services/stats-format';

/**
 * Tickets per group as horizontal bars, one row per studio (or town, sector, joint group) with its
 * whole name level on the left: 18 studio names rotated under a canvas chart ran into each other.
 * Text, not a canvas, so a screen reader reads every figure and a long name wraps instead of going.
 */
export function GroupBars(props: { title: string; groups: StatsGroup[] }) {
  const most = Math.max(1, ...props.groups.map((g) => g.tickets));
  return (
    <View className="card chart-card group-bars">
      <Text className="chart-card__title">{props.title}</Text>
      <View className="group-bars__legend small muted" {...{ 'aria-hidden': 'true' }}>
        <Text className="group-bars__swatch" />
        <Text>留言数（条）</Text>
      </View>
      <View {...{ role: 'list' }}>
        {props.groups.map((g) => (
          <View
            key={g.key}
            className="group-bar"
            {...{
              role: 'listitem',
              'aria-label': `${g.label}：留言 ${g.tickets} 条，响应率 ${percentText(g.responseRate)}，办结率 ${percentText(g.resolutionRate)}`,
            }}
          >
            <Text className="group-bar__label">{g.label}</Text>
            <View className="group-bar__figures" {...{ 'aria-hidden': 'true' }}>
              <View className="group-bar__track">
                {/* Room kept for the count beside the longest bar. */}
                <View className="group-bar__fill" style={{ width: `calc((100% - 48px) * ${g.tickets / most})` }} />
                <Text className="group-bar__count">{g.tickets}</Text>
              </View>
              <Text className="group-bar__rates">
                响应率 {percentText(g.responseRate)} · 办结率 {percentText(g.resolutionRate)}
              </Text>
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}
