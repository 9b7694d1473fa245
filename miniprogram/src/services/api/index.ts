import { adminApi } from './admin';
import { cannedReplyApi } from './canned-replies';
import { noticeApi } from './notices';
import { studioApi } from './studios';
import { ticketApi } from './tickets';
import { uploadApi } from './uploads';

/**
 * What pages import: the endpoints (split by concern in this folder, all through the one client
 * in ../http), sign-in, and the platform helpers pages need beside them.
 */
export const api = { ...studioApi, ...ticketApi, ...noticeApi, ...adminApi, ...uploadApi, ...cannedReplyApi };

export { ApiError } from '../http';
export {
  bindInvite,
  currentSession,
  ensureSignedIn,
  signInSilently,
  signInWithDemoCode,
  signInWithPassword,
  signOut,
} from './auth';
export { openAdminFile } from './files';
export { requestNoticeConsent } from './notices';
export { demoSignInEnabled, imageUrl, isH5, showToast, taroStore } from '../platform';
