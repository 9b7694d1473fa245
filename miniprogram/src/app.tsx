import type { PropsWithChildren } from 'react';
import { installH5AppShell } from './components/h5-app';
import './app.css';

/**
 * H5: a studio's QR code holds /app/?studioId=<id> (server/src/modules/qrcodes/service.ts). The home
 * page would send it on to the studio page, but only after its own code has loaded and it has asked
 * for the studio list. The link is rewritten here, before the router reads the address (this module
 * is imported before the router is made), so a scanned code loads the studio page alone. The home
 * page still handles the link wherever this does not run.
 */
function openStudioLinkDirectly(): void {
  const { pathname, search } = window.location;
  const studioId = new URLSearchParams(search).get('studioId');
  if (!studioId || !/^\/app(\/|\/pages\/index\/index)?$/.test(pathname)) return;
  window.history.replaceState(window.history.state, '', `/app/pages/studio/index?id=${encodeURIComponent(studioId)}`);
}

if (process.env.TARO_ENV === 'h5') {
  openStudioLinkDirectly();
  installH5AppShell();
}

export default function App({ children }: PropsWithChildren) {
  return children;
}
