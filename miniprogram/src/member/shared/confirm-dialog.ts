/**
 * The web console's confirm dialog (H5 only; the weapp uses WeChat's own, which its screen reader
 * knows). Taro's H5 showModal draws its buttons as bare divs: no keyboard, no role, and WeChat green.
 * This one is a modal dialog with two real buttons: the focus moves into it and stays there, Esc
 * cancels, and the focus returns to where it was.
 */
export function confirmInBrowser(options: { title: string; content: string; confirmText: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const before = document.activeElement as HTMLElement | null;
    const mask = document.createElement('div');
    mask.className = 'staff-dialog-mask';
    const dialog = document.createElement('div');
    dialog.className = 'staff-dialog';
    dialog.setAttribute('role', 'alertdialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'staff-dialog-title');
    dialog.setAttribute('aria-describedby', 'staff-dialog-content');
    const title = document.createElement('div');
    title.id = 'staff-dialog-title';
    title.className = 'staff-dialog__title';
    title.textContent = options.title;
    const content = document.createElement('div');
    content.id = 'staff-dialog-content';
    content.className = 'staff-dialog__content';
    content.textContent = options.content;
    const actions = document.createElement('div');
    actions.className = 'staff-dialog__actions';
    const button = (text: string, kind: string) => {
      const el = document.createElement('button');
      el.type = 'button';
      el.className = `staff-dialog__button staff-dialog__button--${kind}`;
      el.textContent = text;
      return el;
    };
    const cancel = button('取消', 'cancel');
    const confirm = button(options.confirmText, 'confirm');
    actions.append(cancel, confirm);
    dialog.append(title, content, actions);
    mask.append(dialog);

    const close = (answer: boolean) => {
      document.removeEventListener('keydown', onKey, true);
      mask.remove();
      before?.focus?.();
      resolve(answer);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close(false);
      } else if (event.key === 'Tab') {
        // Two buttons: Tab goes from one to the other and never leaves the dialog.
        event.preventDefault();
        (document.activeElement === confirm ? cancel : confirm).focus();
      }
    };
    cancel.addEventListener('click', () => close(false));
    confirm.addEventListener('click', () => close(true));
    document.addEventListener('keydown', onKey, true);
    document.body.append(mask);
    // What these dialogs confirm can be undone but is not nothing (停用, 作废): the focus starts on 取消.
    cancel.focus();
  });
}
