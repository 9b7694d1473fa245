import { Text, View } from '@tarojs/components';
import { Tap } from './tap';

/**
 * An on/off setting as one control: the words and the switch are one target the full width of
 * the row, read as "对委员匿名, switch, off" (NutUI's Switch has an invalid `aria-role` and no name).
 */
export function Toggle(props: {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  className?: string;
}) {
  return (
    <Tap
      role="switch"
      checked={props.checked}
      label={props.label}
      className={`toggle${props.className ? ` ${props.className}` : ''}`}
      onTap={() => props.onChange(!props.checked)}
    >
      <Text className="toggle__label">{props.label}</Text>
      <View className={`toggle__track${props.checked ? ' toggle__track--on' : ''}`}>
        <View className="toggle__knob" />
      </View>
      <Text className="toggle__state">{props.checked ? '开' : '关'}</Text>
    </Tap>
  );
}
