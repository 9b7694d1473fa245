import Taro from '@tarojs/taro';
import type { Static } from '@sinclair/typebox';
import {
  TEMPLATE_KEYS,
  UPLOAD_FILE_FIELD,
  type AdminInvite,
  type AdminInviteList,
  type AdminMember,
  type AdminMemberCreateBody,
  type AdminMemberList,
  type AdminMemberListQuery,
  type AdminMemberPatchBody,
  type AdminStudioCreateBody,
  type AdminStudioDetail,
  type AdminStudioList,
  type AdminStudioListQuery,
  type AdminStudioPatchBody,
  type AssignBody,
  type AuthResponse,
  type FailedNoticeList,
  type ImageCheckDecisionBody,
  type ImageCheckResponse,
  type InviteResponse,
  type NotificationList,
  type NotificationListQuery,
  type RatingBody,
  type ReopenBody,
  type ReplyBody,
  type ResolveBody,
  type StudioDetail,
  type StudioList,
  type StatsQuery,
  type StatsResponse,
  type StudioStatsQuery,
  type StudioStatsResponse,
  type StudioListQuery,
  type SubmitTicketBody,
  type SubmitTicketResponse,
  type SubscriptionsResponse,
  type TemplateKey,
  type TicketDetail,
  type TicketList,
  type TicketListQuery,
  type UploadResponse,
} from '@mashangshang/shared';
import { ApiError, createClient, type HttpMethod, type Query } from './client';
import { toastTextFor } from './errors';
import { clearSession, demoCode, readSession, writeSession, type Session, type SignInMethod } from './session';
import { type KeyValueStore } from './store';

export { ApiError };

export const isH5 = process.env.TARO_ENV === 'h5';
export const demoSignInEnabled = isH5 && DEMO_SIGN_IN === 'on';

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

export const apiRoot = `${API_BASE}/api/v1`;

/** An image URL from the API (a signed relative path) made loadable by <Image>. */
export function imageUrl(url: string): string {
  return /^https?:/.test(url) ? url : `${API_BASE}${url}`;
}

// ---------- sign-in ----------

async function exchangeCode(code: string, method: SignInMethod): Promise<Session> {
  const auth = await client.call<AuthResponse>('POST', '/auth/wechat', { body: { code }, auth: false, silent: true });
  return writeSession(taroStore, auth, method);
}

/** WeChat: wx.login → /auth/wechat. H5 outside production: the demo code through the same server path. */
export async function signInSilently(): Promise<Session | null> {
  if (process.env.TARO_ENV === 'weapp') {
    const { code } = await Taro.login();
    return exchangeCode(code, 'wechat');
  }
  if (demoSignInEnabled) return exchangeCode(demoCode(taroStore), 'demo');
  return null;
}

export function currentSession(): Session | null {
  return readSession(taroStore);
}

/** The stored session, or a silent sign-in; null (and the sign-in page) when neither works. */
export async function ensureSignedIn(): Promise<Session | null> {
  const existing = currentSession();
  if (existing) return existing;
  try {
    const session = await signInSilently();
    if (session) return session;
  } catch (error) {
    showToast(error instanceof ApiError ? error.message : toastTextFor({ networkError: true }));
    return null;
  }
  void Taro.navigateTo({ url: '/pages/login/index' });
  return null;
}

export async function signInWithDemoCode(code: string): Promise<Session> {
  taroStore.set('mss.demoCode', code);
  try {
    return await exchangeCode(code, 'demo');
  } catch (error) {
    if (error instanceof ApiError) showToast(error.message);
    throw error;
  }
}

export async function signInWithPassword(username: string, password: string): Promise<Session> {
  const auth = await client.call<AuthResponse>('POST', '/auth/password', { body: { username, password }, auth: false });
  return writeSession(taroStore, auth, 'password');
}

export async function bindInvite(inviteCode: string): Promise<Session> {
  const method = currentSession()?.method ?? 'demo';
  const auth = await client.call<AuthResponse>('POST', '/auth/bind', { body: { inviteCode: inviteCode.trim().toUpperCase() } });
  return writeSession(taroStore, auth, method);
}

export function signOut(): void {
  clearSession(taroStore);
}

async function reauthenticate(): Promise<string | null> {
  const session = currentSession();
  clearSession(taroStore);
  if (session?.method === 'password') {
    void Taro.navigateTo({ url: '/admin/login/index' });
    return null;
  }
  const renewed = await signInSilently();
  return renewed?.token ?? null;
}

// ---------- transport ----------

const client = createClient({
  baseUrl: apiRoot,
  transport: async (request) => {
    const response = await Taro.request({
      url: request.url,
      method: request.method,
      data: request.data as Record<string, unknown> | undefined,
      header: request.header,
      dataType: 'json',
      timeout: 15_000,
    });
    return { statusCode: response.statusCode, data: response.data as unknown };
  },
  getToken: () => currentSession()?.token ?? null,
  reauthenticate,
  showError: showToast,
});

const get = <T>(path: string, query?: Query) => client.call<T>('GET', path, { query });
const send = <T>(method: HttpMethod, path: string, body?: unknown, headers?: Record<string, string>) => client.call<T>(method, path, { body: body ?? {}, headers });

/** Subscribe-message template ids: from TARO_APP_TEMPLATE_IDS ("key=id,…") or the demo ids the server uses in development. */
export function templateIdOf(key: TemplateKey): string {
  const configured = Object.fromEntries(
    SUBSCRIBE_TEMPLATE_IDS.split(',')
      .map((pair) => pair.split('='))
      .filter((pair): pair is [string, string] => pair.length === 2),
  );
  return configured[key] ?? `tmpl-${key}`;
}

/**
 * Asks WeChat for one-time consent to the given notices and records what the user accepted.
 * Never blocks the action it precedes: a refusal or an error just means no WeChat message.
 */
export async function requestNoticeConsent(keys: TemplateKey[]): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp' || keys.length === 0) return;
  try {
    const ids = keys.map(templateIdOf);
    const result = (await Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>;
    const accepted = keys.filter((key) => result[templateIdOf(key)] === 'accept');
    if (accepted.length) await client.call<SubscriptionsResponse>('POST', '/me/subscriptions', { body: { accepted }, silent: true });
  } catch {
    // The user closed the dialog or the phone refused: the in-app list still shows the notice.
  }
}

export const ALL_TEMPLATE_KEYS = TEMPLATE_KEYS;

type FailedNotices = Static<typeof FailedNoticeList>;

async function uploadOnce(filePath: string, token: string | null, onProgress?: (percent: number) => void): Promise<{ statusCode: number; data: unknown }> {
  return new Promise((resolve, reject) => {
    const task = Taro.uploadFile({
      url: `${apiRoot}/uploads`,
      filePath,
      name: UPLOAD_FILE_FIELD,
      header: token ? { Authorization: `Bearer ${token}` } : {},
      success: (result) => {
        let data: unknown = result.data;
        try {
          data = JSON.parse(result.data);
        } catch {
          // not JSON: keep the text for the error message
        }
        resolve({ statusCode: result.statusCode, data });
      },
      fail: reject,
    }) as unknown as { onProgressUpdate?: (cb: (event: { progress: number }) => void) => void; progress?: (cb: (event: { progress: number }) => void) => void };
    const listen = task?.onProgressUpdate ?? task?.progress;
    if (onProgress && typeof listen === 'function') listen.call(task, (event) => onProgress(event.progress));
  });
}

/**
 * Downloads an admin-only file (QR code, poster) with the session's token, and opens it:
 * saved as `filename` in H5, the image preview or document viewer in WeChat.
 */
export async function openAdminFile(path: string, kind: 'image' | 'pdf', filename: string): Promise<void> {
  const token = currentSession()?.token ?? '';
  try {
    const result = await Taro.downloadFile({ url: `${apiRoot}${path}`, header: { Authorization: `Bearer ${token}` } });
    if (result.statusCode !== 200) throw new ApiError(toastTextFor({ statusCode: result.statusCode, body: undefined }), result.statusCode, `HTTP_${result.statusCode}`);
    if (isH5) {
      // A download link rather than window.open: a pop-up opened after an await is usually blocked.
      const link = document.createElement('a');
      link.href = result.tempFilePath;
      link.download = filename;
      link.click();
    } else if (kind === 'image') {
      await Taro.previewImage({ urls: [result.tempFilePath] });
    } else {
      await Taro.openDocument({ filePath: result.tempFilePath, fileType: 'pdf', showMenu: true });
    }
  } catch (error) {
    showToast(error instanceof ApiError ? error.message : toastTextFor({ networkError: true }));
  }
}

export const api = {
  studios: (query: StudioListQuery) => get<StudioList>('/studios', query),
  // `silent`: no toast, for the studio page, which says what went wrong itself in place of the page.
  studio: (id: string, silent = false) => client.call<StudioDetail>('GET', `/studios/${encodeURIComponent(id)}`, { silent }),
  studioByScene: (scene: string) => get<StudioDetail>(`/studios/by-scene/${encodeURIComponent(scene)}`),

  submitTicket: (body: SubmitTicketBody, idempotencyKey: string) =>
    client.call<SubmitTicketResponse>('POST', '/tickets', { body, headers: { 'Idempotency-Key': idempotencyKey }, silent: true, networkRetries: 2 }),
  tickets: (query: TicketListQuery) => get<TicketList>('/tickets', query),
  ticket: (id: string) => get<TicketDetail>(`/tickets/${id}`),
  /** With the draft's Idempotency-Key, so a resend after a lost answer adds the reply once. */
  reply: (id: string, body: ReplyBody, idempotencyKey: string) =>
    client.call<unknown>('POST', `/tickets/${id}/replies`, { body, headers: { 'Idempotency-Key': idempotencyKey }, networkRetries: 2 }),
  assign: (id: string, body: AssignBody) => send<unknown>('POST', `/tickets/${id}/assign`, body),
  resolve: (id: string, body: ResolveBody) => send<unknown>('POST', `/tickets/${id}/resolve`, body),
  rate: (id: string, body: RatingBody) => send<unknown>('POST', `/tickets/${id}/rating`, body),
  reopen: (id: string, body: ReopenBody) => send<unknown>('POST', `/tickets/${id}/reopen`, body),

  notifications: (query: NotificationListQuery) => get<NotificationList>('/me/notifications', query),
  markAllRead: () => send<{ unreadCount: number }>('POST', '/me/notifications/read', { all: true }),

  adminStats: (query: StatsQuery) => get<StatsResponse>('/admin/stats', query),
  studioStats: (studioId: string, query: StudioStatsQuery) => get<StudioStatsResponse>(`/studios/${encodeURIComponent(studioId)}/stats`, query),

  adminMembers: (query: AdminMemberListQuery) => get<AdminMemberList>('/admin/members', query),
  /** An admin's decision on a photo WeChat's image check left for manual review (or refused). */
  decideImageCheck: (uploadId: string, body: ImageCheckDecisionBody) => send<ImageCheckResponse>('POST', `/admin/uploads/${uploadId}/check`, body),
  adminCreateMember: (body: AdminMemberCreateBody) => send<AdminMember>('POST', '/admin/members', body),
  adminUpdateMember: (id: string, body: AdminMemberPatchBody) => send<AdminMember>('PATCH', `/admin/members/${id}`, body),
  adminStudios: (query: AdminStudioListQuery) => get<AdminStudioList>('/admin/studios', query),
  adminStudio: (id: string) => get<AdminStudioDetail>(`/admin/studios/${id}`),
  adminCreateStudio: (body: AdminStudioCreateBody) => send<AdminStudioDetail>('POST', '/admin/studios', body),
  adminUpdateStudio: (id: string, body: AdminStudioPatchBody) => send<AdminStudioDetail>('PATCH', `/admin/studios/${id}`, body),
  createInvite: (memberId: string) => send<InviteResponse>('POST', `/admin/members/${memberId}/invites`),
  adminInvites: (studioId: string) => get<AdminInviteList>('/admin/invites', { studioId, limit: 50 }),
  revokeInvite: (id: string) => send<AdminInvite>('POST', `/admin/invites/${id}/revoke`),
  failedNotices: (query: { cursor?: string }) => get<FailedNotices>('/admin/notifications/failed', query),
  retryNotice: (id: string) => send<{ queued: boolean }>('POST', `/admin/notifications/${id}/retry`),

  /** One image to POST /uploads, with progress; repeats once after a 401 like every other call. */
  async upload(filePath: string, onProgress?: (percent: number) => void): Promise<UploadResponse> {
    let response: { statusCode: number; data: unknown };
    try {
      response = await uploadOnce(filePath, currentSession()?.token ?? null, onProgress);
      if (response.statusCode === 401) {
        const token = await reauthenticate().catch(() => null);
        if (token) response = await uploadOnce(filePath, token, onProgress);
      }
    } catch {
      throw new ApiError(toastTextFor({ networkError: true }), 0, 'NETWORK_ERROR', true);
    }
    if (response.statusCode === 201 || response.statusCode === 200) return response.data as UploadResponse;
    const body = response.data as { code?: unknown } | undefined;
    throw new ApiError(toastTextFor({ statusCode: response.statusCode, body }), response.statusCode, typeof body?.code === 'string' ? body.code : `HTTP_${response.statusCode}`);
  },
};
