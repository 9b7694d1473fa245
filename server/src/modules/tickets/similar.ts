import { Types } from 'mongoose';
import type { SimilarTicketList } from '@mashangshang/shared';
import type { Models } from '../../models';
import type { TicketDoc } from '../../models/tickets';
import type { Actor } from '../auth/actor';
import { allOf } from '../../lib/query-bounds';
import { rankBySimilarity } from '../../lib/text-similarity';
import { ticketScopeFilter } from '../../workflow/access';
import { getVisibleTicket, studioNameMap } from './service';

/** How far back, and how many recent tickets, a suggestion looks at. */
const LOOK_BACK_DAYS = 180;
const CANDIDATES = 500;
const EXCERPT = 60;

/**
 * Recent tickets of the same studio or town that look like this one (as a member opens it): word
 * segmentation and TF-IDF similarity (lib/text-similarity), each with the words that match. Only
 * tickets the actor may see are considered, newest first within the look-back.
 */
export function similarCandidatesQuery(models: Models, actor: Actor, studioIds: Types.ObjectId[], since: Date) {
  const sinceId = Types.ObjectId.createFromTime(Math.floor(since.getTime() / 1000));
  return models.Ticket.find(allOf(ticketScopeFilter(actor), { studioId: { $in: studioIds }, _id: { $gt: sinceId } }), {
    no: 1,
    status: 1,
    studioId: 1,
    content: 1,
    createdAt: 1,
  })
    .sort({ _id: -1 })
    .limit(CANDIDATES);
}

export async function similarTickets(
  models: Models,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<SimilarTicketList> {
  const ticket = await getVisibleTicket(models, actor, id);
  const studio = await models.Studio.findById(ticket.studioId, { town: 1 }).lean();
  // The same town's studios too: one matter is often reported to the town's studio and a sector's.
  const neighbours = studio?.town ? await models.Studio.find({ town: studio.town }, { _id: 1 }).lean() : [];
  const studioIds = [ticket.studioId, ...neighbours.map((s) => s._id).filter((s) => !s.equals(ticket.studioId))];
  const since = new Date(now.getTime() - LOOK_BACK_DAYS * 24 * 3600_000);
  const candidates = (
    await similarCandidatesQuery(models, actor, studioIds, since).lean<
      Pick<TicketDoc, '_id' | 'no' | 'status' | 'studioId' | 'content' | 'createdAt'>[]
    >()
  ).filter((c) => !c._id.equals(ticket._id));
  const matches = rankBySimilarity(ticket.content, candidates, (c) => c.content);
  const names = await studioNameMap(
    models,
    matches.map((m) => m.item.studioId),
  );
  return {
    items: matches.map(({ item, score, sharedWords }) => ({
      id: String(item._id),
      no: item.no,
      status: item.status,
      studioName: names.get(String(item.studioId)) ?? '',
      excerpt: [...item.content].length > EXCERPT ? `${[...item.content].slice(0, EXCERPT).join('')}…` : item.content,
      createdAt: item.createdAt.toISOString(),
      score,
      sharedWords,
    })),
  };
}
