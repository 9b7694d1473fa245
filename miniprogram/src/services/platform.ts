import Taro from '@tarojs/taro';
import { type KeyValueStore } from './store';

/** What the services need from the platform, apart from the network (that is http/). */
export const isH5 = process.env.TARO_ENV === 'h5';
export const demoSignInEnabled = isH5 && DEMO_SIGN_IN === 'on';

export const apiRoot = `${API_BASE}/api/v1`;

export const taroStore: KeyValueStore = {
  get<T>(key: string): T | undefined {
    const value: unknown = Taro.getStorageSync(key);
    return value === '' || value === null || value === undefined ? undefined : (value as T);
  },
  set: (key, value) => Taro.setStorageSync(key, value),
  remove: (key) => Taro.removeStorageSync(key),
};

export function showToast(text: string): void {
  void Taro.showToast({ title: text, icon: 'none', duration: 2500 });
}

/** An image URL from the API (a signed relative path) made loadable by <Image>. */
export function imageUrl(url: string): string {
  return /^https?:/.test(url) ? url : `${API_BASE}${url}`;
}

/** H5: hands a downloaded file (an object URL) to the browser as `filename`. */
export function saveInBrowser(href: string, filename: string): void {
  // A download link rather than window.open: a pop-up opened after an await is usually blocked.
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  link.className = 'download-link';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
