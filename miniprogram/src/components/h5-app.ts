/**
 * What the H5 build needs around the pages that WeChat gives for free: a way back into the app
 * from a page opened by a link, and a page that could not be downloaded saying so with a retry.
 */
import Taro from '@tarojs/taro';

// Resident pages a link or a code can open directly; home itself and the member/admin pages excluded.
const INNER_RESIDENT_PAGE = /\/pages\/(studio|submit|mine|ticket|login)\/index$/;

/**
 * A resident who lands on an inner page (a studio's H5 link, a shared ticket) gets the studio list
 * beneath it in the browser's history, so the back button leads to the list, not out of the app
 * to a blank tab. Only on the first load of the address: a reload or a return keeps its history.
 */
function seedHomeBeneathEntry(): void {
  const { pathname, search, hash } = window.location;
  const at = pathname.indexOf('/pages/');
  if (at < 0 || !INNER_RESIDENT_PAGE.test(pathname)) return;
  const navigation = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (navigation && navigation.type !== 'navigate') return;
  const state: unknown = window.history.state;
  window.history.replaceState(state, '', `${pathname.slice(0, at)}/pages/index/index`);
  window.history.pushState(state, '', pathname + search + hash);
}

/** webpack's failure to fetch a page's code (a script or its styles), e.g. offline. */
function isChunkLoadError(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  return reason.name === 'ChunkLoadError' || /Loading (CSS )?chunk .* failed/i.test(reason.message);
}

/** The route Taro's router takes (without the /app base) of the address now shown. */
function currentRoute(): string {
  const { pathname, search } = window.location;
  const at = pathname.indexOf('/pages/');
  return at < 0 ? '/pages/index/index' : pathname.slice(at) + search;
}

function button(text: string, className: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = `page-load-failed__button ${className}`;
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

/**
 * A page whose code could not be downloaded: the router has already moved to its address but can
 * show nothing, so this says what happened over the page that was there, with 重试 (the same page
 * again), 返回 and 回到首页. Plain DOM, for the page's own React tree is what failed to arrive.
 */
function showPageLoadFailed(route: string): void {
  document.querySelector('.page-load-failed')?.remove();
  const panel = document.createElement('div');
  panel.className = 'page-load-failed';
  panel.setAttribute('role', 'alertdialog');
  panel.setAttribute('aria-modal', 'true');
  panel.setAttribute('aria-labelledby', 'page-load-failed-title');
  panel.setAttribute('aria-describedby', 'page-load-failed-hint');
  const title = document.createElement('h1');
  title.id = 'page-load-failed-title';
  title.className = 'page-load-failed__title';
  title.textContent = navigator.onLine ? '页面没有打开' : '网络连接失败，页面没有打开';
  const hint = document.createElement('p');
  hint.id = 'page-load-failed-hint';
  hint.className = 'page-load-failed__hint';
  hint.textContent = '请检查手机是否连上了网络（无线网或移动数据），连上后点“重试”。';
  const close = () => panel.remove();
  const retry = button('重试', 'page-load-failed__retry', () => {
    close();
    void Taro.redirectTo({ url: route });
  });
  const back = button('返回', 'page-load-failed__back', () => {
    close();
    window.history.back();
  });
  const home = button('回到首页', 'page-load-failed__home', () => {
    close();
    void Taro.reLaunch({ url: '/pages/index/index' });
  });
  panel.append(title, hint, retry, back, home);
  document.body.appendChild(panel);
  retry.focus();
}

/** Installs both, once, before the router shows the first page. */
export function installH5AppShell(): void {
  seedHomeBeneathEntry();
  window.addEventListener('unhandledrejection', (event) => {
    if (!isChunkLoadError(event.reason)) return;
    event.preventDefault();
    showPageLoadFailed(currentRoute());
  });
}
