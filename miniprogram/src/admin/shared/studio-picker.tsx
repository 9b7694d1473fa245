import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { AdminStudioSummary } from '@mashangshang/shared';
import { Input } from '../../components/ui';

/**
 * Picks one studio (or, with `allowAll`, none) from chips; past a handful of studios the chips
 * fold behind a name filter so a county's worth still fits a phone screen.
 */
export function StudioPicker(props: {
  studios: AdminStudioSummary[];
  value: string;
  onChange: (id: string) => void;
  allowAll?: boolean;
}) {
  const [filter, setFilter] = useState('');
  const shown = props.studios.filter((s) => s.id === props.value || !filter || s.name.includes(filter)).slice(0, 30);
  return (
    <View className="studio-picker">
      {props.studios.length > 12 ? (
        <Input
          className="studio-picker__filter input-box"
          placeholder="输入名称筛选工作室"
          value={filter}
          onChange={(value: string) => setFilter(value)}
        />
      ) : null}
      <View className="chips">
        {props.allowAll ? (
          <View className={`chip${props.value === '' ? ' chip--on' : ''}`} onClick={() => props.onChange('')}>
            全部工作室
          </View>
        ) : null}
        {shown.map((studio) => (
          <View
            key={studio.id}
            className={`chip studio-chip${props.value === studio.id ? ' chip--on' : ''}`}
            data-studio={studio.name}
            onClick={() => props.onChange(studio.id)}
          >
            <Text>
              {studio.name}
              {studio.active ? '' : '（已停用）'}
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}
