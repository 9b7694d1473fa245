import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import { TEMPLATE_KEYS, type SubscriptionState, type TemplateKey } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { ConsentCreditDoc } from '../../models/notifications';
import { withDocumentLock } from '../../lib/document-lock';

/**
 * Consent to WeChat subscribe messages, per user and template. A one-time template allows one send
 * per consent (credits, reported by the client after wx.requestSubscribeMessage). A long-term
 * template (长期性订阅消息, open to 政务民生 mini-programs) allows every send once accepted, until the
 * user turns it off: its state follows WeChat's subscribe-message events.
 */

/** WeChat lets a one-time consent pile up; we cap credits so a stale client cannot inflate them. */
const MAX_CREDITS_PER_TEMPLATE = 50;

const consentLock = (userId: Types.ObjectId) => `consent:${String(userId)}`;

export type LongTermKeys = readonly TemplateKey[];

async function rowsOf(models: Models, userId: Types.ObjectId): Promise<Map<TemplateKey, ConsentCreditDoc>> {
  const rows = await models.ConsentCredit.find({ userId }).lean<ConsentCreditDoc[]>();
  return new Map(rows.map((row) => [row.templateKey, row]));
}

/** Per template: long-term or one-time, its state, and whether the next notice of it reaches WeChat. */
export async function subscriptionsOf(models: Models, userId: Types.ObjectId, longTermKeys: LongTermKeys) {
  const rows = await rowsOf(models, userId);
  const credits = {} as Record<TemplateKey, number>;
  const templates = {} as Record<TemplateKey, SubscriptionState>;
  for (const key of TEMPLATE_KEYS) {
    const row = rows.get(key);
    const longTerm = longTermKeys.includes(key);
    credits[key] = row?.credits ?? 0;
    const state = longTerm ? (row?.longTerm ?? 'unknown') : 'unknown';
    templates[key] = {
      longTerm,
      state,
      credits: credits[key],
      willNotify: longTerm ? state === 'accept' : credits[key] > 0,
    };
  }
  return { credits, templates };
}

/**
 * Records the consents the client got from wx.requestSubscribeMessage: one more send per one-time
 * template; a long-term template is accepted from now on.
 */
export async function recordConsents(
  models: Models,
  redis: Redis,
  userId: Types.ObjectId,
  accepted: TemplateKey[],
  longTermKeys: LongTermKeys,
) {
  const keys = [...new Set(accepted)];
  await withDocumentLock(redis, consentLock(userId), async () => {
    for (const templateKey of keys) {
      if (longTermKeys.includes(templateKey)) {
        await models.ConsentCredit.updateOne(
          { userId, templateKey },
          { $set: { longTerm: 'accept' } },
          { upsert: true },
        );
        continue;
      }
      const row = await models.ConsentCredit.findOne({ userId, templateKey }).lean();
      const credits = Math.min((row?.credits ?? 0) + 1, MAX_CREDITS_PER_TEMPLATE);
      await models.ConsentCredit.updateOne({ userId, templateKey }, { $set: { credits } }, { upsert: true });
    }
  });
  return subscriptionsOf(models, userId, longTermKeys);
}

/**
 * What WeChat's subscribe-message events said about a user's templates: accepted or rejected in the
 * popup or the settings page, or a send refused. A long-term template takes the state; a one-time
 * template turned off loses its credits (WeChat would refuse them); a one-time accept is counted
 * from the client's report, not here, so it is not counted twice.
 */
export async function recordSubscribeEvent(
  models: Models,
  redis: Redis,
  userId: Types.ObjectId,
  changes: { templateKey: TemplateKey; accepted: boolean }[],
  longTermKeys: LongTermKeys,
): Promise<number> {
  let applied = 0;
  await withDocumentLock(redis, consentLock(userId), async () => {
    for (const { templateKey, accepted } of changes) {
      if (longTermKeys.includes(templateKey)) {
        const longTerm = accepted ? 'accept' : 'reject';
        await models.ConsentCredit.updateOne({ userId, templateKey }, { $set: { longTerm } }, { upsert: true });
        applied += 1;
      } else if (!accepted) {
        await models.ConsentCredit.updateOne({ userId, templateKey }, { $set: { credits: 0 } });
        applied += 1;
      }
    }
  });
  return applied;
}

/**
 * Whether a notice of this template may go out now: a long-term template accepted, or one credit of
 * a one-time template, spent. Serialized per user (FerretDB updates are not atomic).
 */
export async function takeConsent(
  models: Models,
  redis: Redis,
  userId: Types.ObjectId,
  templateKey: TemplateKey,
  longTermKeys: LongTermKeys,
): Promise<boolean> {
  if (longTermKeys.includes(templateKey)) {
    const row = await models.ConsentCredit.findOne({ userId, templateKey }, { longTerm: 1 }).lean();
    return row?.longTerm === 'accept';
  }
  return withDocumentLock(redis, consentLock(userId), async () => {
    const row = await models.ConsentCredit.findOne({ userId, templateKey }).lean();
    if (!row || row.credits <= 0) return false;
    await models.ConsentCredit.updateOne({ _id: row._id }, { $set: { credits: row.credits - 1 } });
    return true;
  });
}
