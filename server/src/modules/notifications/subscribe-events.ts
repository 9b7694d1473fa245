import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { TEMPLATE_KEYS, type SubscribeEventItem, type TemplateKey } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Config } from '../../config';
import { recordSubscribeEvent } from './consents';

/** The subscribe-message events WeChat pushes, and what each says about a template. */
export const SUBSCRIBE_EVENTS = [
  'subscribe_msg_popup_event',
  'subscribe_msg_change_event',
  'subscribe_msg_sent_event',
] as const;
type SubscribeEvent = (typeof SUBSCRIBE_EVENTS)[number];

/** What one item says: accepted, rejected, or nothing we act on (a send that went out). */
function verdictOf(event: SubscribeEvent, item: SubscribeEventItem): boolean | null {
  if (event === 'subscribe_msg_sent_event') {
    // A send refused because the user does not (or no longer) accept the template.
    return String(item.ErrorCode ?? '0') === '0' ? null : false;
  }
  if (item.SubscribeStatusString === 'accept') return true;
  if (item.SubscribeStatusString === 'reject') return false;
  return null;
}

/**
 * Applies a subscribe-message event to the user's consents. Templates of other mini-programs or
 * unknown users are ignored (WeChat pushes for every template of the account).
 */
export async function handleSubscribeEvent(
  deps: { models: Models; redis: Redis; config: Config; log: FastifyBaseLogger },
  event: SubscribeEvent,
  openid: string | undefined,
  list: SubscribeEventItem | SubscribeEventItem[] | undefined,
): Promise<'applied' | 'ignored'> {
  if (!openid || !list) return 'ignored';
  const { templateIds, longTermTemplates } = deps.config.notifications;
  const keyOf = new Map<string, TemplateKey>(TEMPLATE_KEYS.map((key) => [templateIds[key], key]));
  const changes = (Array.isArray(list) ? list : [list]).flatMap((item) => {
    const templateKey = keyOf.get(item.TemplateId);
    const accepted = verdictOf(event, item);
    return templateKey && accepted !== null ? [{ templateKey, accepted }] : [];
  });
  if (changes.length === 0) return 'ignored';
  const user = await deps.models.User.findOne({ openid }, { _id: 1 }).lean();
  if (!user) return 'ignored';
  const applied = await recordSubscribeEvent(deps.models, deps.redis, user._id, changes, longTermTemplates);
  return applied > 0 ? 'applied' : 'ignored';
}
