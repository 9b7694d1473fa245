import { Button as TaroButton, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

const isH5 = process.env.TARO_ENV === 'h5';

/** What a tappable thing is to a screen reader. */
type TapRole = 'button' | 'link' | 'checkbox' | 'radio' | 'switch';

export interface TapProps {
  onTap: () => void;
  children?: ReactNode;
  className?: string;
  role?: TapRole;
  /** The name read out, when the visible text alone does not say it (an icon, a bare "×"). */
  label?: string;
  /** For checkbox, radio and switch. */
  checked?: boolean;
  /** For the navigation: the page being shown. */
  current?: boolean;
  disabled?: boolean;
}

/** Enter and Space operate a control, as they do a native button (Space without scrolling the page). */
export function activateOnKeys(operate: () => void) {
  return (event: { key?: string; preventDefault: () => void }) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    operate();
  };
}

/**
 * The H5 attributes that make a Taro element a control: role, name, state, a place in the Tab
 * order and Enter/Space. (Taro's web components pass `aria*` props on as `aria-*` attributes.)
 */
function controlProps(props: Omit<TapProps, 'children' | 'className'>) {
  const stateful = props.role === 'checkbox' || props.role === 'radio' || props.role === 'switch';
  const operate = () => {
    if (!props.disabled) props.onTap();
  };
  const truth = (on: boolean) => (on ? 'true' : 'false') as 'true' | 'false';
  return {
    role: props.role ?? 'button',
    tabIndex: props.disabled ? -1 : 0,
    ariaLabel: props.label,
    ariaChecked: stateful ? truth(Boolean(props.checked)) : undefined,
    ariaCurrent: props.current ? ('page' as const) : undefined,
    ariaDisabled: props.disabled ? truth(true) : undefined,
    onClick: operate,
    onKeyDown: activateOnKeys(operate),
  };
}

/**
 * Anything a resident taps that is not a NutUI button: a studio card, a chip, a check box, a tab of
 * the bottom bar. In H5 an element with a role, a name, a focus ring and the keyboard; in WeChat a
 * native <button> (WeChat's screen reader reads it as a button with its text; Taro's templates do
 * not carry `aria-role` on a <view>), its default look taken off by `.tap`.
 */
export function Tap(props: TapProps) {
  const className = `tap-reset${props.className ? ` ${props.className}` : ''}`;
  if (isH5) {
    return (
      <View className={className} {...controlProps(props)}>
        {props.children}
      </View>
    );
  }
  // WeChat reads a button's text: its state is said in words there, out of sight.
  const state =
    props.role === 'switch'
      ? props.checked
        ? '已开启'
        : '已关闭'
      : props.role === 'checkbox' || props.role === 'radio'
        ? props.checked
          ? '已选中'
          : '未选中'
        : '';
  return (
    <TaroButton
      className={className}
      hoverClass="tap-reset--pressed"
      disabled={props.disabled}
      ariaLabel={props.label}
      onClick={() => {
        if (!props.disabled) props.onTap();
      }}
    >
      {props.children}
      {state ? <Text className="sr-only">，{state}</Text> : null}
    </TaroButton>
  );
}
