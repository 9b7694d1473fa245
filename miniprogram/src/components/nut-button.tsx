import { forwardRef, type ComponentProps, type ElementRef } from 'react';
import NutButton from '@nutui/nutui-react-taro/dist/es/packages/button';
import { activateOnKeys } from './tap';

type NutButtonProps = ComponentProps<typeof NutButton>;

/**
 * NutUI's Button with what Taro's H5 <taro-button-core> lacks: a role, a place in the Tab order
 * and Enter/Space (in WeChat it is a native <button> and needs none of it).
 */
export const Button = forwardRef<ElementRef<typeof NutButton>, NutButtonProps>(function Button(props, ref) {
  if (process.env.TARO_ENV !== 'h5') return <NutButton ref={ref} {...props} />;
  const inactive = Boolean(props.disabled || props.loading);
  const operate = () => {
    if (!inactive) props.onClick?.(undefined as never);
  };
  return (
    <NutButton
      ref={ref}
      role="button"
      tabIndex={inactive ? -1 : 0}
      ariaDisabled={inactive ? 'true' : undefined}
      ariaBusy={props.loading ? 'true' : undefined}
      onKeyDown={activateOnKeys(operate)}
      {...props}
    />
  );
});
