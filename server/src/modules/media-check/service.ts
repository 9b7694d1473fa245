import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import type { MediaCheckState } from '@mashangshang/shared';
import type { Config } from '../../config';
import type { Models } from '../../models';
import { withDocumentLock } from '../../lib/document-lock';
import type { Producers } from '../../queues';
import { changeTicket } from '../../workflow';
import { before } from '../../lib/query-bounds';
import { WechatApiError, WechatUnavailableError, type WechatClient } from '../../wechat/client';
import { signUploadUrl } from '../../lib/upload-signing';
import type { UploadDoc } from '../../models/uploads';
import type { MediaCheckDoc } from '../../models/media-check';
import type { Actor } from '../auth/actor';

/**
 * WeChat's image content-security check (mediaCheckAsync). Asked right after an upload is stored;
 * WeChat downloads the image through a signed URL and pushes its verdict to /wechat/push later.
 * Until the verdict is `pass`, only the uploader and admins see the image. Asks that fail or whose
 * verdict never arrives are repeated by the sweeper, and after `mediaCheckAttempts` the image goes
 * to manual review: an image is never shown unchecked, and never stuck without a state.
 */
export interface MediaCheckDeps {
  models: Models;
  redis: Redis;
  queues: Producers;
  wechat: WechatClient;
  config: Config;
  log: FastifyBaseLogger;
}

/** WeChat scene 3: a forum/comment-like post by the user. */
const MEDIA_CHECK_SCENE = 3;
/** How long WeChat may take to fetch the image after an ask. */
const MEDIA_URL_TTL_SECONDS = 24 * 3600;
/** trace id → upload id, so a push finds its image without a query on a non-_id field. */
const TRACE_KEY = (traceId: string) => `media-check:trace:${traceId}`;
const TRACE_TTL_SECONDS = 3 * 24 * 3600;
/** A push whose timestamp is further off than this is refused (replays of an old signature). */
const PUSH_MAX_SKEW_SECONDS = 300;

const lockKey = (id: Types.ObjectId | string) => `media-check:${String(id)}`;

/**
 * Records a new upload's check, before anyone learns its id: pending for residents' and members'
 * images; admins have no openid to check with and are trusted.
 */
export async function createMediaCheck(
  models: Models,
  upload: Pick<UploadDoc, '_id' | 'ownerId' | 'ownerRole'>,
): Promise<MediaCheckState> {
  const state: MediaCheckState = upload.ownerRole === 'admin' ? 'pass' : 'pending';
  await models.MediaCheck.create({
    _id: upload._id,
    ownerId: upload.ownerId,
    state,
    checkedAt: state === 'pass' ? new Date() : null,
  });
  return state;
}

/** An image's check state; images stored before checks existed have no record and count as passed. */
export async function mediaCheckState(models: Models, uploadId: Types.ObjectId): Promise<MediaCheckState> {
  const check = await models.MediaCheck.findById(uploadId, { state: 1 }).lean<Pick<MediaCheckDoc, 'state'>>();
  return check?.state ?? 'pass';
}

/**
 * Asks WeChat about one pending image and records the trace id. Returns false when WeChat could not
 * be asked (the attempt still counts; the sweeper asks again later).
 */
async function askMediaCheck(deps: MediaCheckDeps, uploadId: Types.ObjectId): Promise<boolean> {
  const { models, config } = deps;
  const check = await models.MediaCheck.findById(uploadId).lean<MediaCheckDoc>();
  if (!check || check.state !== 'pending') return false;
  const owner = await models.User.findById(check.ownerId, { openid: 1 }).lean<{ openid: string }>();
  if (!owner) return false;
  const mediaUrl = `${config.publicBaseUrl.replace(/\/$/, '')}${signUploadUrl(config.jwtSecret, uploadId, MEDIA_URL_TTL_SECONDS)}`;
  let traceId: string | null = null;
  try {
    traceId = await deps.wechat.mediaCheckAsync({ openid: owner.openid, mediaUrl, scene: MEDIA_CHECK_SCENE });
    await deps.redis.set(TRACE_KEY(traceId), String(uploadId), 'EX', TRACE_TTL_SECONDS);
  } catch (error) {
    if (!(error instanceof WechatUnavailableError || error instanceof WechatApiError)) throw error;
    deps.log.warn(
      { uploadId: String(uploadId), reason: error.message },
      'image check could not be asked; the sweeper asks again',
    );
  }
  await withDocumentLock(deps.redis, lockKey(uploadId), () =>
    models.MediaCheck.updateOne(
      { _id: uploadId, state: 'pending' },
      { $set: { askedAt: new Date(), ...(traceId ? { traceId } : {}) }, $inc: { attempts: 1 } },
    ),
  );
  return traceId !== null;
}

/** Asks in the background: an upload must not wait for WeChat, and a lost ask is swept later. */
export function askMediaCheckLater(deps: MediaCheckDeps, uploadId: Types.ObjectId): void {
  askMediaCheck(deps, uploadId).catch((error: unknown) => {
    deps.log.warn({ uploadId: String(uploadId), err: error }, 'image check ask failed; the sweeper asks again');
  });
}

/** `signature` of WeChat's message push: sha1 of token, timestamp and nonce sorted and joined. */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export function verifyPushSignature(
  token: string,
  query: { signature: string; timestamp: string; nonce: string },
  now = Date.now(),
): boolean {
  if (Math.abs(Number(query.timestamp) - Math.floor(now / 1000)) > PUSH_MAX_SKEW_SECONDS) return false;
  const expected = Buffer.from(pushSignature(token, query.timestamp, query.nonce), 'hex');
  const given = Buffer.from(query.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A nonce is accepted once: the plaintext signature does not cover the body, so a captured
 * request must not be replayable with another body. Redis down: refuse, WeChat pushes again.
 */
export async function claimPushNonce(redis: Redis, timestamp: string, nonce: string): Promise<boolean> {
  const claimed = await redis.set(
    `media-check:nonce:${timestamp}:${nonce}`,
    '1',
    'EX',
    PUSH_MAX_SKEW_SECONDS * 2,
    'NX',
  );
  return claimed === 'OK';
}

const FLAG_TEXT: Record<Exclude<MediaCheckState, 'pass' | 'pending'>, string> = {
  risky: '一张图片未通过内容安全检测，已对委员隐藏，请管理员处理',
  review: '一张图片待人工复核，暂不向委员展示',
};

/** Sets an image's verdict; when it is not a pass and the image is on a ticket, says so on the timeline. */
async function settle(
  deps: MediaCheckDeps,
  uploadId: Types.ObjectId,
  state: Exclude<MediaCheckState, 'pending'>,
): Promise<boolean> {
  const { models } = deps;
  const changed = await withDocumentLock(deps.redis, lockKey(uploadId), async () => {
    const result = await models.MediaCheck.updateOne(
      { _id: uploadId, state: 'pending' },
      { $set: { state, checkedAt: new Date() } },
    );
    return result.modifiedCount === 1;
  });
  if (!changed || state === 'pass') return changed;
  const upload = await models.Upload.findById(uploadId, { ticketId: 1 }).lean<Pick<UploadDoc, 'ticketId'>>();
  const ticketId =
    upload?.ticketId ?? (await models.Ticket.findOne({ imageIds: uploadId }, { _id: 1 }).lean())?._id ?? null;
  if (ticketId) await changeTicket(deps, 'imageFlagged', ticketId, { text: FLAG_TEXT[state] });
  return true;
}

/**
 * An admin's verdict overrides WeChat's (either way) and goes on the ticket's timeline. Returns the
 * new state, or null when there is no such image.
 */
export async function decideMediaCheck(
  deps: Omit<MediaCheckDeps, 'wechat'>,
  uploadId: Types.ObjectId,
  verdict: 'pass' | 'risky',
  admin: Actor,
): Promise<MediaCheckState | null> {
  const { models } = deps;
  const upload = await models.Upload.findById(uploadId, { ownerId: 1, ownerRole: 1, ticketId: 1 }).lean<
    Pick<UploadDoc, '_id' | 'ownerId' | 'ownerRole' | 'ticketId'>
  >();
  if (!upload) return null;
  await withDocumentLock(deps.redis, lockKey(uploadId), async () => {
    const set = { state: verdict, checkedAt: new Date(), decidedBy: admin.id };
    const updated = await models.MediaCheck.updateOne({ _id: uploadId }, { $set: set });
    // An image from before the checks has no record yet: the decision creates it.
    if (updated.matchedCount === 0) await models.MediaCheck.create({ _id: uploadId, ownerId: upload.ownerId, ...set });
  });
  const ticketId =
    upload.ticketId ?? (await models.Ticket.findOne({ imageIds: uploadId }, { _id: 1 }).lean())?._id ?? null;
  if (ticketId) await changeTicket(deps, 'imageDecided', ticketId, { verdict }, { actor: admin });
  return verdict;
}

/** WeChat's verdict for a trace id. Unknown or already-settled traces are acknowledged and ignored. */
export async function recordMediaCheckResult(
  deps: MediaCheckDeps,
  push: { traceId: string; errcode: number; suggest: string | undefined },
): Promise<'settled' | 'ignored'> {
  const { models } = deps;
  const mapped = await deps.redis.get(TRACE_KEY(push.traceId));
  const check = mapped
    ? await models.MediaCheck.findById(mapped, { _id: 1 }).lean<Pick<MediaCheckDoc, '_id'>>()
    : await models.MediaCheck.findOne({ traceId: push.traceId }, { _id: 1 }).lean<Pick<MediaCheckDoc, '_id'>>();
  if (!check) return 'ignored';
  // A failed check (WeChat could not fetch or judge it) is not a pass: a person looks at it.
  const suggest = push.suggest;
  const state =
    push.errcode !== 0
      ? 'review'
      : suggest === 'pass' || suggest === 'review' || suggest === 'risky'
        ? suggest
        : 'review';
  const changed = await settle(deps, check._id, state);
  if (changed) deps.log.info({ uploadId: String(check._id), state }, 'image check settled');
  return changed ? 'settled' : 'ignored';
}

/**
 * Pending checks to ask about again: never asked, or asked before `retryBefore`. Uploads of the last
 * 30 s are left alone (the API process that stored them is still asking). One branch per case, each
 * a range of {state, askedAt}: "asked before" is bounded below by DATA_FLOOR (no ask is older), the
 * form FerretDB reads from the index.
 */
export function pendingMediaQuery(models: Models, now: number, retryBefore: Date) {
  const fresh = { $lt: new Date(now - 30_000) };
  return models.MediaCheck.find(
    {
      $or: [
        { state: 'pending', askedAt: null, createdAt: fresh },
        { state: 'pending', askedAt: before(retryBefore), createdAt: fresh },
      ],
    },
    { _id: 1, attempts: 1 },
  ).limit(100);
}

/**
 * Sweeper step: asks again about images whose ask failed or whose verdict never came, and sends
 * those asked too often to manual review.
 */
export async function recheckPendingMedia(
  deps: MediaCheckDeps,
  now = Date.now(),
): Promise<{ asked: number; toReview: number }> {
  const { models, config } = deps;
  const retryBefore = new Date(now - config.wechat.mediaCheckRetryAfterSeconds * 1000);
  const due = await pendingMediaQuery(models, now, retryBefore).lean<Pick<MediaCheckDoc, '_id' | 'attempts'>[]>();
  let asked = 0;
  let toReview = 0;
  for (const check of due) {
    if (check.attempts >= config.wechat.mediaCheckAttempts) {
      if (await settle(deps, check._id, 'review')) toReview += 1;
      continue;
    }
    if (await askMediaCheck(deps, check._id)) asked += 1;
  }
  return { asked, toReview };
}

/** Each image's check state, for choosing what a viewer of a ticket may see. */
export async function imageChecks(models: Models, imageIds: Types.ObjectId[]): Promise<Map<string, MediaCheckState>> {
  const checks = new Map<string, MediaCheckState>();
  // By _id one at a time: at most 9 images, and an _id lookup is the one FerretDB answers without a scan.
  for (const id of imageIds) checks.set(String(id), await mediaCheckState(models, id));
  return checks;
}
