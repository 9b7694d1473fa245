/**
 * What the browser suites ask of the members' and admins' pages beyond axe-core: every element that
 * reacts to a tap is a real control (a role, a name, reachable with Tab, at least 44 × 44 CSS px), and
 * every control shows a visible focus ring when it takes the keyboard's focus. Used by the staff and
 * casework browser suites.
 */
import type { Page } from 'playwright-core';

/**
 * Every element of the page with a click listener (what Taro attaches for onClick), found through the
 * DevTools protocol and marked `data-tappable`, so the page can be asked about exactly those.
 */
async function markTappables(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'document.querySelector(".page")' });
    if (!result.objectId) return 0;
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
      objectId: result.objectId,
      depth: -1,
      pierce: true,
    });
    const nodes = new Set(listeners.filter((l) => l.type === 'click' && l.backendNodeId).map((l) => l.backendNodeId!));
    for (const backendNodeId of nodes) {
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId });
      if (!object.objectId) continue;
      await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration: 'function () { if (this.setAttribute) this.setAttribute("data-tappable", "1"); }',
      });
    }
    return nodes.size;
  } finally {
    await cdp.detach();
  }
}

/** Browser code as text (the server's TypeScript has no DOM types): what is wrong with each tappable element. */
const TAPPABLE_AUDIT = `(() => {
  const problems = [];
  const implicit = { BUTTON: 'button', A: 'link', INPUT: 'textbox', TEXTAREA: 'textbox', SELECT: 'combobox' };
  for (const el of document.querySelectorAll('.page [data-tappable]')) {
    // Inside a chart drawn as one named image (ECharts listens on its canvas for tooltips).
    if (el.closest('[aria-hidden="true"], [role="img"]')) continue;
    // NutUI's Tag listens for clicks whether or not it is given one; a tag nobody can use is no control.
    if (el.matches('.nut-tag')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    // A field's box (NutUI focuses its input when the box is tapped): the field inside is the control.
    const field = el.matches('input, textarea') ? null : el.querySelector('input:not([type=hidden]), textarea');
    if (field) {
      const fieldName = (field.getAttribute('aria-label') || field.getAttribute('placeholder') || '').trim();
      if (!fieldName) problems.push('field without a name: ' + (el.className || el.tagName));
      if (rect.height < 44) problems.push('field lower than 44 px (' + Math.round(rect.height) + '): ' + (field.getAttribute('placeholder') || el.className));
      continue;
    }
    const role = el.getAttribute('role') || implicit[el.tagName] || '';
    const name = (el.getAttribute('aria-label') || el.innerText || el.getAttribute('title') || '').trim();
    const where = (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : el.tagName) + ' "' + name.slice(0, 20) + '"';
    if (!role) problems.push('no role: ' + where);
    if (!name) problems.push('no name: ' + where);
    if (!(el.tabIndex >= 0)) problems.push('not focusable: ' + where);
    if (rect.height < 44 || rect.width < 44) problems.push('smaller than 44 px (' + Math.round(rect.width) + '×' + Math.round(rect.height) + '): ' + where);
  }
  return problems;
})()`;

/**
 * Every control of the page takes the keyboard's focus with a visible ring. After one Tab (so the
 * browser knows the keyboard is in use and shows :focus-visible), each control is focused in turn in
 * the page itself: one round trip instead of a key press per control.
 */
async function focusRingProblems(page: Page, name: string): Promise<string[]> {
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press('Tab');
  const problems = await page.evaluate<string[]>(`(() => {
    const outlined = (node) => { const s = getComputedStyle(node); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; };
    const problems = [];
    const controls = document.querySelectorAll('.page [tabindex]:not([tabindex="-1"]), .page button, .page input:not([type=hidden]), .page textarea, .page a[href]');
    for (const el of controls) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      el.focus();
      if (document.activeElement !== el && !el.contains(document.activeElement)) continue;
      // The ring may be drawn by the control itself or around a field's box (up to three levels up).
      let ring = outlined(el);
      for (let node = el.parentElement, up = 0; !ring && node && up < 3; node = node.parentElement, up += 1) ring = outlined(node);
      if (!ring) {
        const label = (el.getAttribute('aria-label') || el.innerText || el.getAttribute('placeholder') || '').trim().slice(0, 20);
        problems.push('no visible focus ring on ' + el.tagName.toLowerCase() + '.' + String(el.className).trim().split(/\\s+/).slice(0, 2).join('.') + ' "' + label + '"');
      }
    }
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    return [...new Set(problems)];
  })()`);
  return problems.map((p) => `${name}: ${p}`);
}

/** The tappable audit and the focus rings on the page as it stands: the problems found, empty when all is well. */
export async function controlProblems(page: Page, name: string): Promise<string[]> {
  await markTappables(page);
  const found = (await page.evaluate<string[]>(TAPPABLE_AUDIT)).map((p) => `${name}: ${p}`);
  found.push(...(await focusRingProblems(page, name)));
  return found;
}
