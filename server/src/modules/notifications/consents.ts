import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import { TEMPLATE_KEYS, type TemplateKey } from '@mashangshang/shared';
import type { Models } from '../../models';
import { withDocumentLock } from '../../lib/document-lock';

/** WeChat lets a one-time consent pile up; we cap credits so a stale client cannot inflate them. */
const MAX_CREDITS_PER_TEMPLATE = 50;

const consentLock = (userId: Types.ObjectId) => `consent:${String(userId)}`;

export async function creditsOf(models: Models, userId: Types.ObjectId): Promise<Record<TemplateKey, number>> {
  const rows = await models.ConsentCredit.find({ userId }).lean();
  const credits = Object.fromEntries(TEMPLATE_KEYS.map((key) => [key, 0])) as Record<TemplateKey, number>;
  for (const row of rows) credits[row.templateKey] = row.credits;
  return credits;
}

/** Records the consents the client got from wx.requestSubscribeMessage: one more send per template. */
export async function recordConsents(
  models: Models,
  redis: Redis,
  userId: Types.ObjectId,
  accepted: TemplateKey[],
): Promise<Record<TemplateKey, number>> {
  const keys = [...new Set(accepted)];
  await withDocumentLock(redis, consentLock(userId), async () => {
    for (const templateKey of keys) {
      const row = await models.ConsentCredit.findOne({ userId, templateKey }).lean();
      const credits = Math.min((row?.credits ?? 0) + 1, MAX_CREDITS_PER_TEMPLATE);
      await models.ConsentCredit.updateOne({ userId, templateKey }, { $set: { credits } }, { upsert: true });
    }
  });
  return creditsOf(models, userId);
}

/** Spends one consent of this template, if there is one. Serialized per user (FerretDB updates are not atomic). */
export async function takeConsent(
  models: Models,
  redis: Redis,
  userId: Types.ObjectId,
  templateKey: TemplateKey,
): Promise<boolean> {
  return withDocumentLock(redis, consentLock(userId), async () => {
    const row = await models.ConsentCredit.findOne({ userId, templateKey }).lean();
    if (!row || row.credits <= 0) return false;
    await models.ConsentCredit.updateOne({ _id: row._id }, { $set: { credits: row.credits - 1 } });
    return true;
  });
}
