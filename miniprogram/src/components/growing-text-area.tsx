import { Textarea } from '@tarojs/components';
import { useEffect, useRef } from 'react';

const isH5 = process.env.TARO_ENV === 'h5';

/**
 * A text box that grows with its text, so a long message pushes the photos and the submit button
 * down instead of running over them (NutUI's TextArea fixes its host at 40 px). WeChat grows it
 * natively (`autoHeight`); in H5 the box is set to its content's height on every change.
 */
export function GrowingTextArea(props: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  placeholder?: string;
  maxLength?: number;
  className?: string;
}) {
  const ref = useRef<{ querySelector?: (selector: string) => HTMLTextAreaElement | null } | null>(null);

  useEffect(() => {
    if (!isH5) return;
    const box = ref.current?.querySelector?.('textarea');
    if (!box) return;
    box.style.height = 'auto';
    box.style.height = `${box.scrollHeight + 2}px`;
  }, [props.value]);

  return (
    <Textarea
      ref={ref as never}
      className={`growing-text${props.className ? ` ${props.className}` : ''}`}
      value={props.value}
      placeholder={props.placeholder}
      maxlength={props.maxLength ?? -1}
      autoHeight={!isH5}
      ariaLabel={props.label}
      nativeProps={{ 'aria-label': props.label, rows: 4 }}
      onInput={(event) => props.onChange(event.detail.value)}
    />
  );
}
