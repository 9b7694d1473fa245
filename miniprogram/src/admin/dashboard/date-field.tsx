import { Picker, View } from '@tarojs/components';

/**
 * A date for the custom range. In the web console a native date input (typed, or picked from the
 * browser's calendar, with the keyboard too); in the weapp WeChat's date picker.
 */
export function DateField(props: {
  label: string;
  value: string;
  start?: string;
  end?: string;
  onChange: (value: string) => void;
  className: string;
}) {
  if (process.env.TARO_ENV === 'h5')
    return (
      <input
        type="date"
        className={`date-field ${props.className}`}
        aria-label={props.label}
        value={props.value}
        min={props.start}
        max={props.end}
        onChange={(event) => {
          if (event.target.value) props.onChange(event.target.value);
        }}
      />
    );
  return (
    <Picker
      mode="date"
      value={props.value}
      start={props.start}
      end={props.end}
      onChange={(e) => props.onChange(String(e.detail.value))}
    >
      <View className={`chip ${props.className}`}>
        {props.label}：{props.value}
      </View>
    </Picker>
  );
}
