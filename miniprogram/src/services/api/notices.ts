import Taro from '@tarojs/taro';
import type {
  MarkReadBody,
  NotificationList,
  NotificationListQuery,
  SubscriptionsBody,
  SubscriptionsResponse,
  TemplateKey,
} from '@mashangshang/shared';
import { http, type Reply } from '../http';

/** The in-app notices. */
export const noticeApi = {
  notifications: (query: NotificationListQuery): Promise<NotificationList> =>
    http.json('NotificationList', 'GET', '/me/notifications', { query }),
  markAllRead: (): Promise<Reply<'MarkReadResponse'>> => {
    const body: MarkReadBody = { all: true };
    return http.json('MarkReadResponse', 'POST', '/me/notifications/read', { body });
  },
  /** Per template: whether the next notice of it will reach WeChat (consent given and not used up or turned off). */
  mySubscriptions: (): Promise<SubscriptionsResponse> =>
    http.json('SubscriptionsResponse', 'GET', '/me/subscriptions', { silent: true }),
};

/** Subscribe-message template ids: from TARO_APP_TEMPLATE_IDS ("key=id,…") or the demo ids the server uses. */
function templateIdOf(key: TemplateKey): string {
  const configured = Object.fromEntries(
    SUBSCRIBE_TEMPLATE_IDS.split(',')
      .map((pair) => pair.split('='))
      .filter((pair): pair is [string, string] => pair.length === 2),
  );
  return configured[key] ?? `tmpl-${key}`;
}

/**
 * Asks WeChat for consent to the given notices and records what the user accepted; resolves with the
 * subscriptions as they now are when anything was accepted, else null. Never blocks the action it
 * precedes: a refusal or an error just means no WeChat message.
 */
export async function requestNoticeConsent(keys: TemplateKey[]): Promise<SubscriptionsResponse | null> {
  if (process.env.TARO_ENV !== 'weapp' || keys.length === 0) return null;
  try {
    const result = await Taro.requestSubscribeMessage({ tmplIds: keys.map(templateIdOf), entityIds: [] });
    // The answer maps each template id to 'accept', 'reject' or 'ban'.
    const acceptedIds = new Set(Object.entries(result).flatMap(([id, choice]) => (choice === 'accept' ? [id] : [])));
    const body: SubscriptionsBody = { accepted: keys.filter((key) => acceptedIds.has(templateIdOf(key))) };
    if (body.accepted.length) {
      return await http.json('SubscriptionsResponse', 'POST', '/me/subscriptions', { body, silent: true });
    }
  } catch {
    // The user closed the dialog or the phone refused: the in-app list still shows the notice.
  }
  return null;
}
