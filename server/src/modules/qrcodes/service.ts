import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import QRCode from 'qrcode';
import type { Redis } from 'ioredis';
import { sceneForStudioCode } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { withDocumentLock } from '../../lib/document-lock';
import { WechatApiError, WechatUnavailableError, type WechatClient } from '../../wechat/client';

export interface StudioCodeDeps {
  models: Models;
  redis: Redis;
  wechat: WechatClient;
  config: Config;
}

export interface StudioCodeImage {
  png: Buffer;
  /** ASCII file name for content-disposition. */
  fileName: string;
  /** What the code holds: the scene (mini-program code) or the link (H5). */
  content: string;
}

/** The H5 link a plain QR code opens: the H5 build's home goes straight to the studio. */
function studioH5Link(publicBaseUrl: string, studioId: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/app/?studioId=${studioId}`;
}

async function findStudio(models: Models, id: string) {
  // Inactive studios too: an admin may print a code before the studio goes public.
  const studio = await models.Studio.findById(new Types.ObjectId(id), { code: 1 }).lean();
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  return studio;
}

/**
 * The studio's mini-program code from WeChat, asked for once per studio, scene, page and width:
 * the PNG is kept in Redis (shared by every API process) and one process at a time asks WeChat.
 * A studio whose code (and so scene) changed gets a new image under a new key.
 */
export async function studioMiniProgramCode(
  deps: StudioCodeDeps,
  studioId: string,
  width: number,
): Promise<StudioCodeImage> {
  const studio = await findStudio(deps.models, studioId);
  const scene = sceneForStudioCode(studio.code);
  const page = deps.config.operations.studioCodePage;
  const digest = createHash('sha256').update(`${scene}|${page}|${width}`).digest('hex').slice(0, 16);
  const cacheKey = `studio-code:${studioId}:${digest}`;
  const image = (png: Buffer): StudioCodeImage => ({
    png,
    fileName: `studio-${studio.code}-wxacode-${width}.png`,
    content: scene,
  });

  const cached = await deps.redis.getBuffer(cacheKey);
  if (cached) return image(cached);
  const lockWait = deps.config.wechat.timeoutMs * 3;
  return withDocumentLock(
    deps.redis,
    cacheKey,
    async () => {
      // Another request may have fetched it while this one waited for the lock.
      const fresh = await deps.redis.getBuffer(cacheKey);
      if (fresh) return image(fresh);
      let png: Buffer;
      try {
        png = await deps.wechat.getUnlimitedQrCode({ scene, page, width });
      } catch (error) {
        if (error instanceof WechatUnavailableError || error instanceof WechatApiError) {
          throw new AppError('WECHAT_UNAVAILABLE', { logMessage: error.message, cause: error });
        }
        throw error;
      }
      await deps.redis.set(cacheKey, png, 'EX', deps.config.operations.studioCodeCacheSeconds);
      return image(png);
    },
    { ttlMs: lockWait + 1000, waitMs: lockWait },
  );
}

/** A plain QR code of the studio's H5 link, for the web build and for printing without WeChat. */
export async function studioH5Code(
  deps: Pick<StudioCodeDeps, 'models' | 'config'>,
  studioId: string,
  width: number,
): Promise<StudioCodeImage> {
  const studio = await findStudio(deps.models, studioId);
  const link = studioH5Link(deps.config.publicBaseUrl, String(studio._id));
  const png = await QRCode.toBuffer(link, { type: 'png', width, margin: 2, errorCorrectionLevel: 'M' });
  return { png, fileName: `studio-${studio.code}-h5-${width}.png`, content: link };
}
