import type { Models } from '../models';
import { ensureAdminAccount } from '../modules/auth/service';
import { DEMO_CANNED_REPLIES, demoStudios, jointGroupOf } from './demo-data';

export interface SeedSummary {
  studios: number;
  members: number;
}

/**
 * Inserts the demo studios and members that are missing. Idempotent: what exists (perhaps edited
 * by an admin since) is left as it is, so seeding on every `npm start` is safe.
 */
export async function seedDemoData(
  models: Models,
  options: { adminPassword?: string | null } = {},
): Promise<SeedSummary> {
  const studios = demoStudios();
  const now = new Date();
  for (const [sortOrder, studio] of studios.entries()) {
    await models.Studio.updateOne(
      { code: studio.code },
      {
        $setOnInsert: {
          code: studio.code,
          name: studio.name,
          kind: studio.kind,
          town: studio.town,
          sector: studio.sector,
          jointGroup: studio.sector ? jointGroupOf(studio.sector) : null,
          intro: studio.intro,
          address: studio.address,
          star: studio.star,
          slaHours: studio.slaHours,
          slaUnit: studio.slaWorkdays ? 'workdays' : 'hours',
          ...(studio.slaWorkdays ? { slaWorkdays: studio.slaWorkdays } : {}),
          sortOrder,
          active: true,
          serviceItems: studio.serviceItems.map((item) => ({ ...item, active: true })),
          createdAt: now,
          updatedAt: now,
        },
      },
      // Timestamps by hand: mongoose's would $set updatedAt on every run and break idempotency.
      { upsert: true, timestamps: false },
    );
  }

  const codes = studios.map((s) => s.code);
  const stored = await models.Studio.find({ code: { $in: codes } }, { code: 1 }).lean();
  const idByCode = new Map(stored.map((s) => [s.code, s._id]));
  for (const studio of studios) {
    const studioId = idByCode.get(studio.code);
    if (!studioId) throw new Error(`studio ${studio.code} missing after upsert`);
    for (const member of studio.members) {
      await models.Member.updateOne(
        { externalKey: `demo:${member.key}` },
        {
          $setOnInsert: {
            externalKey: `demo:${member.key}`,
            name: member.name,
            title: member.title,
            studioIds: [studioId],
            leadOf: member.lead ? [studioId] : [],
            active: true,
            userId: null,
            createdAt: now,
            updatedAt: now,
          },
        },
        { upsert: true, timestamps: false },
      );
    }
  }

  // Office-wide 常用回复, as an office would start with them.
  for (const reply of DEMO_CANNED_REPLIES) {
    await models.CannedReply.updateOne(
      { studioId: null, title: reply.title },
      { $setOnInsert: { studioId: null, ...reply, useCount: 0, createdBy: '系统', updatedAt: now } },
      { upsert: true },
    );
  }

  if (options.adminPassword) await ensureAdminAccount(models, options.adminPassword);
  return { studios: studios.length, members: studios.reduce((n, s) => n + s.members.length, 0) };
}
