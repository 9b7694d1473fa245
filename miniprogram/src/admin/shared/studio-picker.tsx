import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { AdminStudioSummary } from '@mashangshang/shared';
import { Input } from '../../components/ui';
import { ActionButton, Tap } from '../../member/shared/controls';

/** How many studios the open picker lists at once; a name typed narrows them. */
const SHOWN = 12;

/**
 * Picks one studio (or, with `allowAll`, none): the choice on one line with 更换工作室, which opens a
 * name filter and the studios that match. A county's 40-odd studios as chips filled two screens
 * before the page's own content.
 */
export function StudioPicker(props: {
  studios: AdminStudioSummary[];
  value: string;
  onChange: (id: string) => void;
  allowAll?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const chosen = props.studios.find((s) => s.id === props.value);
  const matching = props.studios.filter((s) => !filter.trim() || s.name.includes(filter.trim()));
  const pick = (id: string) => {
    props.onChange(id);
    setOpen(false);
    setFilter('');
  };
  const nameOf = (studio: AdminStudioSummary) => `${studio.name}${studio.active ? '' : '（已停用）'}`;

  return (
    <View className="studio-picker card">
      <View className="studio-picker__current">
        <Text>
          工作室：
          <Text className="studio-picker__name">
            {chosen ? nameOf(chosen) : props.allowAll ? '全部工作室' : '未选择'}
          </Text>
        </Text>
        <ActionButton
          className="tap studio-picker__change"
          fill="outline"
          type="primary"
          onClick={() => setOpen((o) => !o)}
          {...{ 'aria-expanded': String(open) }}
        >
          {open ? '收起' : '更换工作室'}
        </ActionButton>
      </View>
      {open ? (
        <View className="studio-picker__panel">
          <Input
            className="studio-picker__filter input-box"
            placeholder="输入名称筛选工作室"
            value={filter}
            onChange={(value: string) => setFilter(value)}
          />
          <View className="studio-picker__options" {...{ role: 'group', 'aria-label': '选择工作室' }}>
            {props.allowAll && !filter.trim() ? (
              <Tap
                className={`studio-picker__option${props.value === '' ? ' studio-picker__option--on' : ''}`}
                pressed={props.value === ''}
                onTap={() => pick('')}
              >
                全部工作室
              </Tap>
            ) : null}
            {matching.slice(0, SHOWN).map((studio) => (
              <Tap
                key={studio.id}
                className={`studio-picker__option studio-chip${props.value === studio.id ? ' studio-picker__option--on' : ''}`}
                pressed={props.value === studio.id}
                onTap={() => pick(studio.id)}
              >
                {nameOf(studio)}
              </Tap>
            ))}
            {matching.length === 0 ? <Text className="muted">没有名称含“{filter.trim()}”的工作室</Text> : null}
            {matching.length > SHOWN ? (
              <Text className="muted small">还有 {matching.length - SHOWN} 个，请输入名称缩小范围</Text>
            ) : null}
          </View>
        </View>
      ) : null}
    </View>
  );
}
