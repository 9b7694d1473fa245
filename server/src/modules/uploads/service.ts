import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { UploadContentType } from '@mashangshang/shared';
import { AppError } from '../../errors';
import type { Models } from '../../models';
import type { Actor } from '../auth/actor';
import { findVisibleTicket } from '../../workflow/access';
import type { UploadDoc } from '../../models/uploads';
import { newStorageKey, type UploadStorage } from './storage';
import { createMediaCheck, mediaCheckState } from '../media-check/service';

/** Uploads one user may make per hour. */
export const UPLOADS_PER_HOUR = 60;

export function uploadRateLimitKey(actor: Pick<Actor, 'role' | 'id'>): string {
  return `rl:upload:${actor.role === 'admin' ? 'admin' : 'user'}:${actor.id.toHexString()}`;
}

/** The image type from the file's first bytes (magic numbers); null for anything else. */
export function detectImageType(data: Buffer): UploadContentType | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return null;
}

/**
 * Stores the bytes, then records them. The bytes go first: a crash in between leaves an orphan
 * file (harmless, sweepable), never a record that points at nothing.
 */
export async function storeUpload(
  models: Models,
  storage: UploadStorage,
  actor: Actor,
  data: Buffer,
): Promise<UploadDoc> {
  const contentType = detectImageType(data);
  if (!contentType) {
    throw new AppError('UPLOAD_TYPE_NOT_ALLOWED', {
      statusCode: 415,
      logMessage: 'upload bytes are not jpeg/png/webp',
    });
  }
  const storageKey = newStorageKey();
  await storage.put(storageKey, data, contentType);
  try {
    const created = await models.Upload.create({
      ownerId: actor.id,
      ownerRole: actor.role,
      storageKey,
      contentType,
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      ticketId: null,
    });
    await createMediaCheck(models, created).catch(async (error: unknown) => {
      // Without its check record the image would count as passed: take the whole upload back.
      await models.Upload.deleteOne({ _id: created._id }).catch(() => undefined);
      throw error;
    });
    return created.toObject();
  } catch (error) {
    await storage.delete(storageKey).catch(() => undefined);
    throw error;
  }
}

function isOwner(upload: Pick<UploadDoc, 'ownerId' | 'ownerRole'>, actor: Actor): boolean {
  // Admin ids and user ids come from different collections: match the kind as well as the id.
  return upload.ownerId.equals(actor.id) && (upload.ownerRole === 'admin') === (actor.role === 'admin');
}

/**
 * May this actor see the image? Its owner may; once it is attached to a ticket, so may everyone
 * who may see that ticket, provided WeChat's image check passed it (admins see it anyway, to judge
 * it). The ticket rule lives in workflow/access, not here.
 */
export async function canSeeUpload(models: Models, actor: Actor, upload: UploadDoc): Promise<boolean> {
  if (isOwner(upload, actor)) return true;
  if (actor.role !== 'admin' && (await mediaCheckState(models, upload._id)) !== 'pass') return false;
  const ticketIds: Types.ObjectId[] = upload.ticketId ? [upload.ticketId] : [];
  // A ticket may list the image even if the claim never reached the upload record.
  const listing = await models.Ticket.find({ imageIds: upload._id }, { _id: 1 }).limit(10).lean();
  for (const t of listing) if (!ticketIds.some((id) => id.equals(t._id))) ticketIds.push(t._id);
  for (const ticketId of ticketIds) {
    if (await findVisibleTicket(models, actor, ticketId)) return true;
  }
  return false;
}

/** The upload if it exists, else null; `id` may be any string. */
export async function findUpload(models: Models, id: string): Promise<UploadDoc | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  return models.Upload.findById(id).lean<UploadDoc>();
}

const IMAGES_INVALID_MESSAGE = '图片无效或已被使用，请重新上传';

function imagesInvalid(logMessage: string): AppError {
  return new AppError('VALIDATION_FAILED', { userMessage: IMAGES_INVALID_MESSAGE, logMessage });
}

/**
 * Attaches the owner's uploads to a ticket at submit time and returns their ids (deduplicated, in
 * the order given). Every id must exist, belong to `ownerId` and not be attached to another ticket.
 * Calling it again for the same ticket is a no-op, so a retried submit is safe.
 */
export async function claimUploadsForTicket(
  models: Models,
  ownerId: Types.ObjectId,
  uploadIds: string[],
  ticketId: Types.ObjectId,
): Promise<Types.ObjectId[]> {
  const unique = [...new Set(uploadIds.map(String))];
  if (unique.length === 0) return [];
  if (!unique.every((id) => /^[0-9a-f]{24}$/.test(id))) throw imagesInvalid('upload id is not an object id');
  const ids = unique.map((id) => new Types.ObjectId(id));

  const found = await models.Upload.find({ _id: { $in: ids }, ownerId }, { ticketId: 1 }).lean();
  if (found.length !== ids.length)
    throw imagesInvalid(`${ids.length - found.length} upload(s) missing or not the owner's`);
  if (found.some((u) => u.ticketId && !u.ticketId.equals(ticketId)))
    throw imagesInvalid('upload already attached to another ticket');

  const toClaim = found.filter((u) => !u.ticketId).map((u) => u._id);
  if (toClaim.length === 0) return ids;
  const result = await models.Upload.updateMany(
    { _id: { $in: toClaim }, ownerId, ticketId: null },
    { $set: { ticketId } },
  );
  if (result.modifiedCount !== toClaim.length) {
    // Something raced us. Fine if every image now belongs to this ticket (a concurrent retry of
    // the same submit); otherwise give back what we took and refuse.
    const attachedHere = await models.Upload.countDocuments({ _id: { $in: ids }, ownerId, ticketId });
    if (attachedHere !== ids.length) {
      await models.Upload.updateMany({ _id: { $in: toClaim }, ownerId, ticketId }, { $set: { ticketId: null } });
      throw imagesInvalid('upload claimed concurrently by another ticket');
    }
  }
  return ids;
}
