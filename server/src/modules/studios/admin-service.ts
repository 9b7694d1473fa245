import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type { AdminStudioCreateBody, AdminStudioPatchBody, StudioDetail, StudioKind } from '@mashangshang/shared';
import type { Models } from '../../models';
import { AppError } from '../../errors';
import { anyStudioState, type ServiceItemDoc, type StudioDoc } from '../../models/studios';
import { toDetail } from './service';
import type { Actor } from '../auth/actor';
import { applyStarOverride, starReasonOf } from '../stars/service';

/** Lowercase letters and digits that survive being read aloud or printed small (no 0/o, 1/l/i). */
const GENERATED_CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GENERATED_CODE_LENGTH = 6;
const MAX_CODE_ATTEMPTS = 5;

function generateStudioCode(): string {
  let code = '';
  for (let i = 0; i < GENERATED_CODE_LENGTH; i += 1)
    code += GENERATED_CODE_ALPHABET[randomInt(GENERATED_CODE_ALPHABET.length)];
  return code;
}

/** MongoDB answers 11000; FerretDB 1.x answers an update that breaks a unique index with code 1 and SQLite's message. */
function isDuplicateKey(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === 11000 || (typeof message === 'string' && /UNIQUE constraint failed|E11000 duplicate key/.test(message))
  );
}

/** A town studio belongs to a town, a sector studio to a sector: the public filters rely on it. */
function assertKindMatches(kind: StudioKind, town: string | null, sector: string | null): void {
  if (kind === 'town' && !town) {
    throw new AppError('VALIDATION_FAILED', {
      logMessage: 'town studio without town',
      userMessage: '镇街委员集体工作室需要填写所属镇/街道',
    });
  }
  if (kind === 'sector' && !sector) {
    throw new AppError('VALIDATION_FAILED', {
      logMessage: 'sector studio without sector',
      userMessage: '界别委员工作室需要填写所属界别',
    });
  }
}

function codeTaken(): AppError {
  return new AppError('STUDIO_CODE_TAKEN', { statusCode: 409, logMessage: 'studio code already in use' });
}

export async function createStudio(models: Models, body: AdminStudioCreateBody): Promise<StudioDetail> {
  const town = body.town ?? null;
  const sector = body.sector ?? null;
  assertKindMatches(body.kind, town, sector);
  // New studios go last in the public list; admins reorder later if they need to.
  const last = await models.Studio.findOne(anyStudioState(), { sortOrder: 1 }).sort({ sortOrder: -1 }).lean();
  const fields = {
    name: body.name,
    kind: body.kind,
    town,
    sector,
    jointGroup: body.jointGroup ?? null,
    intro: body.intro ?? '',
    address: body.address ?? '',
    ...(body.slaHours !== undefined ? { slaHours: body.slaHours } : {}),
    ...(body.slaUnit !== undefined ? { slaUnit: body.slaUnit } : {}),
    ...(body.slaWorkdays !== undefined ? { slaWorkdays: body.slaWorkdays } : {}),
    sortOrder: (last?.sortOrder ?? -1) + 1,
    active: true,
    serviceItems: (body.serviceItems ?? []).map((item) => ({
      title: item.title,
      summary: item.summary ?? '',
      active: true,
    })),
  };

  for (let attempt = 1; ; attempt += 1) {
    const code = body.code ?? generateStudioCode();
    try {
      const created = await models.Studio.create({ ...fields, code });
      return toDetail(models, created.toObject<StudioDoc>());
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      if (body.code) throw codeTaken();
      // A generated code collided: extremely rare, just draw another.
      if (attempt >= MAX_CODE_ATTEMPTS)
        throw new AppError('INTERNAL_ERROR', { logMessage: 'could not generate a free studio code', cause: error });
    }
  }
}

/**
 * Service items keep their ids when the admin sends them back with their id (tickets and links may
 * name them); items left out are retired rather than deleted.
 */
function mergeServiceItems(
  existing: ServiceItemDoc[],
  incoming: NonNullable<AdminStudioPatchBody['serviceItems']>,
): ServiceItemDoc[] {
  const byId = new Map(existing.map((item) => [String(item._id), item]));
  const kept = new Set<string>();
  const next: ServiceItemDoc[] = incoming.map((item) => {
    if (item.id !== undefined) {
      if (!byId.has(item.id) || kept.has(item.id)) {
        throw new AppError('VALIDATION_FAILED', {
          logMessage: 'unknown or repeated service item id',
          userMessage: '服务事项不存在或重复，请刷新后重试',
        });
      }
      kept.add(item.id);
    }
    return {
      _id: item.id !== undefined ? new Types.ObjectId(item.id) : new Types.ObjectId(),
      title: item.title,
      summary: item.summary ?? '',
      active: true,
    };
  });
  const retired = existing.filter((item) => !kept.has(String(item._id))).map((item) => ({ ...item, active: false }));
  return [...next, ...retired];
}

/** Run under the studio's document lock (the route takes it). */
export async function updateStudio(
  models: Models,
  actor: Actor,
  id: string,
  patch: AdminStudioPatchBody,
): Promise<StudioDetail> {
  const _id = new Types.ObjectId(id);
  const current = await models.Studio.findById(_id).lean<StudioDoc>();
  if (!current) throw new AppError('STUDIO_NOT_FOUND');

  // A star change is an override like POST /star: a reason and a history entry, never a bare write.
  // An edit form that sends the star back unchanged needs no reason and changes nothing.
  const starChange =
    patch.star !== undefined && patch.star !== current.star
      ? { star: patch.star, reason: starReasonOf(patch.starReason) }
      : null;

  // Checked up front for a clear answer; the unique index still decides a race.
  if (patch.code !== undefined && patch.code !== current.code && (await models.Studio.exists({ code: patch.code })))
    throw codeTaken();

  const set: Partial<StudioDoc> = {};
  for (const key of [
    'code',
    'name',
    'kind',
    'town',
    'sector',
    'jointGroup',
    'intro',
    'address',
    'slaHours',
    'slaUnit',
    'slaWorkdays',
    'active',
  ] as const) {
    if (patch[key] !== undefined) (set as Record<string, unknown>)[key] = patch[key];
  }
  if (patch.serviceItems) set.serviceItems = mergeServiceItems(current.serviceItems, patch.serviceItems);
  assertKindMatches(
    set.kind ?? current.kind,
    set.town !== undefined ? set.town : (current.town ?? null),
    set.sector !== undefined ? set.sector : (current.sector ?? null),
  );

  // A body of only unknown fields arrives empty (they are stripped): nothing to change.
  if (Object.keys(set).length === 0 && !starChange) return toDetail(models, current);

  let updated: StudioDoc | null = current;
  if (Object.keys(set).length > 0) {
    try {
      updated = await models.Studio.findOneAndUpdate(
        { _id },
        { $set: set },
        { new: true, runValidators: true },
      ).lean<StudioDoc>();
    } catch (error) {
      if (isDuplicateKey(error)) throw codeTaken();
      throw error;
    }
    if (!updated) throw new AppError('STUDIO_NOT_FOUND', { logMessage: 'studio vanished during update' });
  }
  if (starChange) {
    await applyStarOverride(models, actor, _id, starChange.star, starChange.reason, current.star);
    updated = { ...updated, star: starChange.star };
  }
  return toDetail(models, updated);
}
