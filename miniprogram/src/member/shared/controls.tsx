import { Button as TaroButton, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ComponentProps, ReactNode } from 'react';
import { Button as NutButton } from '../../components/ui';
import { confirmInBrowser } from './confirm-dialog';
import './staff.css';

/*
 * The members' and admins' pages are used with a screen reader, a keyboard (the web console) and
 * large text. Everything tappable here is a real control: in the weapp WeChat's native <button>
 * (read out as a button with its text); in H5 Taro's button element, which is a plain custom element,
 * so it is given a role, a tab stop, Enter/Space and a name here. The admin pages import these too:
 * Taro copies a module used by both subpackages into each.
 */

type Activate = () => void;

/** Attributes that make a tappable element a named, keyboard-operable control in H5 (the weapp drops them). */
function controlProps(options: {
  role: string;
  label?: string;
  disabled?: boolean;
  onActivate?: Activate;
  extra?: Record<string, string | undefined>;
}): Record<string, unknown> {
  const props: Record<string, unknown> = {
    role: options.role,
    tabIndex: 0,
    // The reactify layer of Taro's H5 components drops an aria-* attribute whose value is false: strings only.
    'aria-disabled': options.disabled ? 'true' : 'false',
    onKeyDown: (event: { key?: string; preventDefault?: () => void }) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault?.();
      if (!options.disabled) options.onActivate?.();
    },
  };
  if (options.label) props['aria-label'] = options.label;
  for (const [key, value] of Object.entries(options.extra ?? {})) if (value !== undefined) props[key] = value;
  if (process.env.TARO_ENV !== 'h5') {
    // WeChat's names for them. Taro's weapp templates carry only the attributes it declares per
    // component, and aria-role/aria-label are not among them: they reach WeChat once the build
    // declares them (config, not ours); until then the native <button> is what the screen reader gets.
    props.ariaRole = options.role;
    if (options.label) props.ariaLabel = options.label;
  }
  return props;
}

/**
 * A tappable area of our own look (chips, menu items, list rows, options): `role` says what it is
 * (button, link, tab), `pressed`/`selected`/`current` its state for a screen reader.
 */
export function Tap(props: {
  onTap: Activate;
  children: ReactNode;
  className?: string;
  role?: 'button' | 'link' | 'tab';
  label?: string;
  pressed?: boolean;
  selected?: boolean;
  current?: boolean;
  disabled?: boolean;
}) {
  const role = props.role ?? 'button';
  const a11y = controlProps({
    role,
    label: props.label,
    disabled: props.disabled,
    onActivate: props.onTap,
    extra: {
      'aria-pressed': props.pressed === undefined ? undefined : String(props.pressed),
      'aria-selected': props.selected === undefined ? undefined : String(props.selected),
      'aria-current': props.current ? 'page' : undefined,
    },
  });
  return (
    <TaroButton
      className={`tap-control${props.className ? ` ${props.className}` : ''}`}
      disabled={props.disabled}
      onClick={() => {
        if (!props.disabled) props.onTap();
      }}
      {...a11y}
    >
      {props.children}
    </TaroButton>
  );
}

/** NutUI's button, made a named control with a tab stop and Enter/Space in H5. */
export function ActionButton(props: ComponentProps<typeof NutButton> & { label?: string }) {
  const { label, ...rest } = props;
  const a11y = controlProps({
    role: 'button',
    label,
    disabled: Boolean(rest.disabled || rest.loading),
    onActivate: () => rest.onClick?.({} as Parameters<NonNullable<typeof rest.onClick>>[0]),
  });
  return <NutButton {...rest} {...a11y} />;
}

/** One row of tabs (role tablist / tab, the chosen one selected), in place of NutUI's Tabs, whose titles are bare views. */
export function TabBar<T extends string | number>(props: {
  tabs: { key: T; title: string }[];
  value: T;
  onChange: (key: T) => void;
  label: string;
  className?: string;
  /** Each tab also gets the class `${tabClassPrefix}${key}`. */
  tabClassPrefix?: string;
}) {
  return (
    <View
      className={`tab-bar${props.className ? ` ${props.className}` : ''}`}
      {...{ role: 'tablist', 'aria-label': props.label }}
    >
      {props.tabs.map((tab) => (
        <Tap
          key={String(tab.key)}
          role="tab"
          className={`tab-bar__tab ${props.tabClassPrefix ?? 'tab-bar__tab--'}${String(tab.key)}${tab.key === props.value ? ' tab-bar__tab--on' : ''}`}
          selected={tab.key === props.value}
          onTap={() => props.onChange(tab.key)}
        >
          {tab.title}
        </Tap>
      ))}
    </View>
  );
}

/** Chips of one choice (a date range, a grouping, a state): buttons that say which one is pressed. */
export function ChoiceChips<T extends string>(props: {
  choices: { key: T; title: string; className?: string }[];
  value: T;
  onChange: (key: T) => void;
  label: string;
  className?: string;
}) {
  return (
    <View
      className={`chips${props.className ? ` ${props.className}` : ''}`}
      {...{ role: 'group', 'aria-label': props.label }}
    >
      {props.choices.map((choice) => (
        <Tap
          key={choice.key}
          className={`chip${choice.className ? ` ${choice.className}` : ''}${choice.key === props.value ? ' chip--on' : ''}`}
          pressed={choice.key === props.value}
          onTap={() => props.onChange(choice.key)}
        >
          {choice.title}
        </Tap>
      ))}
    </View>
  );
}

/** A status word on a tinted ground, in colours that read at 4.5:1 (NutUI's tags do not all). */
export function Badge(props: {
  tone: 'ok' | 'info' | 'warn' | 'danger' | 'plain' | 'wait';
  children: ReactNode;
  className?: string;
}) {
  return (
    <Text className={`badge badge--${props.tone}${props.className ? ` ${props.className}` : ''}`}>
      {props.children}
    </Text>
  );
}

/**
 * Asks before an action that takes something away (停用, 作废): in the web console our own dialog of
 * real buttons, in the weapp WeChat's, in the app's red (its default confirm colour is WeChat green).
 */
export async function confirmAction(options: {
  title: string;
  content: string;
  confirmText?: string;
}): Promise<boolean> {
  const confirmText = options.confirmText ?? '确定';
  if (process.env.TARO_ENV === 'h5') return confirmInBrowser({ ...options, confirmText });
  const { confirm } = await Taro.showModal({
    title: options.title,
    content: options.content,
    confirmText,
    confirmColor: '#b71c1c',
    cancelColor: '#333333',
  });
  return confirm;
}
