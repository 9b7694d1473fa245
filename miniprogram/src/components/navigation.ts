import Taro from '@tarojs/taro';

export const HOME_PAGE = '/pages/index/index';
export const MINE_PAGE = '/pages/mine/index';

/** The route of a page in the stack ("pages/mine/index"), whichever platform's page object it is. */
function routeOf(page: { route?: string; path?: string }): string {
  return (page.route ?? page.path ?? '').replace(/^\//, '').split('?')[0] ?? '';
}

/** Whether the page under this one can be returned to (WeChat keeps at most 10). */
export function canGoBack(): boolean {
  return Taro.getCurrentPages().length > 1;
}

/**
 * To a page without piling up copies of it: back to it when it is already in the stack, else
 * opened on top, or for the studio list as the new start.
 */
export function goTo(url: string): void {
  const pages = Taro.getCurrentPages();
  const target = url.replace(/^\//, '').split('?')[0] ?? '';
  const at = pages.map(routeOf).lastIndexOf(target);
  if (at === pages.length - 1 && at >= 0) return;
  if (at >= 0) {
    void Taro.navigateBack({ delta: pages.length - 1 - at });
    return;
  }
  if (url === HOME_PAGE || pages.length >= 9) {
    void Taro.reLaunch({ url });
    return;
  }
  void Taro.navigateTo({ url });
}

/** Back one page; from a page opened directly (a link, a code), to the studio list. */
export function goBack(): void {
  if (canGoBack()) void Taro.navigateBack();
  else goTo(HOME_PAGE);
}
