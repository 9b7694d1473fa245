/**
 * The accessibility attributes our components set on Taro elements. In H5 Taro's web components
 * pass `aria*` props on as `aria-*` attributes and `role`/`tabIndex` as they are; WeChat reads
 * `ariaRole`/`ariaLabel` (aria-role, aria-label) on its components.
 */
import type { BaseTouchEvent, ITouchEvent } from '@tarojs/components/types/common';

declare module '@tarojs/components/types/common' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars -- the type parameters must repeat the declaration
  interface StandardProps<T = any, TouchEvent extends BaseTouchEvent<any> = ITouchEvent> {
    role?: string;
    ariaLabel?: string;
    ariaHidden?: 'true' | 'false';
    ariaLevel?: string;
    ariaChecked?: 'true' | 'false';
    ariaCurrent?: 'page';
    ariaDisabled?: 'true' | 'false';
    ariaBusy?: 'true' | 'false';
    ariaExpanded?: 'true' | 'false';
    tabIndex?: number;
    onKeyDown?: (event: { key?: string; preventDefault: () => void }) => void;
  }
}

export {};
