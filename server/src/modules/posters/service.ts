import { Types } from 'mongoose';
import { STUDIO_KIND_LABELS } from '@mashangshang/shared';
import { AppError } from '../../errors';
import { studioMiniProgramCode, type StudioCodeDeps } from '../qrcodes/service';
import type { StudioDoc } from '../../models/studios';
import { studioMembersQuery } from '../studios/service';
import { ensurePosterFont, type PosterData } from './render';

/** The width the poster asks WeChat for: WeChat's default, the same image the admin page shows (one cached copy). */
const POSTER_CODE_WIDTH = 430;

async function posterData(deps: StudioCodeDeps, studio: StudioDoc): Promise<PosterData> {
  const members = await studioMembersQuery(deps.models, studio._id).lean();
  const code = await studioMiniProgramCode(deps, String(studio._id), POSTER_CODE_WIDTH);
  const area = studio.kind === 'town' ? studio.town : studio.sector;
  return {
    code: studio.code,
    name: studio.name,
    subtitle: [area, STUDIO_KIND_LABELS[studio.kind]].filter(Boolean).join(' · '),
    address: studio.address ?? '',
    members: members.map((m) => ({ name: m.name, title: m.title })),
    serviceItems: studio.serviceItems.filter((item) => item.active).map((item) => item.title),
    code_png: code.png,
  };
}

/** One studio's poster data (any studio: an admin may print before it goes public). */
export async function studioPoster(deps: StudioCodeDeps, studioId: string): Promise<PosterData> {
  ensurePosterFont(deps.config.operations.posterFontPath);
  const studio = await deps.models.Studio.findById(new Types.ObjectId(studioId)).lean<StudioDoc>();
  if (!studio) throw new AppError('STUDIO_NOT_FOUND');
  return posterData(deps, studio);
}

/** Codes asked of WeChat at once for a batch (each studio's code is cached after its first time). */
const BATCH_CONCURRENCY = 4;

/** The poster data of every active studio (of a town or sector, if given), in the public order. */
export async function allPosters(
  deps: StudioCodeDeps,
  filter: { town?: string; sector?: string } = {},
): Promise<PosterData[]> {
  ensurePosterFont(deps.config.operations.posterFontPath);
  const studios = await deps.models.Studio.find({
    active: true,
    ...(filter.town ? { town: filter.town } : {}),
    ...(filter.sector ? { sector: filter.sector } : {}),
  })
    .sort({ sortOrder: 1, _id: 1 })
    .lean<StudioDoc[]>();
  const posters: PosterData[] = new Array(studios.length);
  let next = 0;
  const worker = async () => {
    while (next < studios.length) {
      const index = next++;
      posters[index] = await posterData(deps, studios[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, studios.length) }, worker));
  return posters;
}
