import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import {
  type OutcomeListQuery,
  type OutcomePatchBody,
  type OutcomeRecord,
  type OutcomeList,
} from '@mashangshang/shared';
import type { Models } from '../../models';
import type { Actor } from '../auth/actor';
import { AppError } from '../../errors';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { DATA_CEILING, DATA_FLOOR, allOf } from '../../lib/query-bounds';
import { withDocumentLock } from '../../lib/document-lock';
import type { OutcomeDoc } from '../../models/outcomes';

const iso = (d: Date) => new Date(d).toISOString();

export function toRecord(doc: OutcomeDoc, studioName: string): OutcomeRecord {
  return {
    id: String(doc._id),
    ticketId: String(doc.ticketId),
    ticketNo: doc.ticketNo,
    studio: { id: String(doc.studioId), name: studioName },
    kind: doc.kind,
    title: doc.title,
    where: doc.where ?? '',
    status: doc.status,
    note: doc.note ?? '',
    history: (doc.history ?? []).map((h) => ({
      at: iso(h.at),
      actorName: h.actorName,
      status: h.status,
      where: h.where ?? '',
      note: h.note ?? '',
    })),
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  };
}

export function outcomeFilter(query: Omit<OutcomeListQuery, 'limit' | 'cursor'>): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.kind) filter.kind = query.kind;
  if (query.status) filter.status = query.status;
  if (query.studioId) filter.studioId = new Types.ObjectId(query.studioId);
  if (query.from || query.to) {
    if (query.from && query.to && query.from > query.to)
      throw new AppError('VALIDATION_FAILED', { logMessage: 'from after to', userMessage: '起始日期不能晚于结束日期' });
    // Bounded on both sides (an open side by DATA_FLOOR or DATA_CEILING, which no record passes): the
    // form FerretDB reads from the {createdAt} index.
    filter.createdAt = {
      $gte: query.from ? new Date(`${query.from}T00:00:00+08:00`) : DATA_FLOOR,
      $lt: query.to ? new Date(Date.parse(`${query.to}T00:00:00+08:00`) + 86_400_000) : DATA_CEILING,
    };
    for (const day of [query.from, query.to]) {
      if (day && Number.isNaN(Date.parse(`${day}T00:00:00+08:00`)))
        throw new AppError('VALIDATION_FAILED', { userMessage: '日期无效，请检查后重试' });
    }
  }
  return filter;
}

export async function studioNames(models: Models, ids: Types.ObjectId[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.map(String))].map((id) => new Types.ObjectId(id));
  if (unique.length === 0) return new Map();
  const studios = await models.Studio.find({ _id: { $in: unique } }, { name: 1 }).lean();
  return new Map(studios.map((s) => [String(s._id), s.name]));
}

/**
 * The page GET /admin/outcomes reads: newest first, one more than a page. Each filter has an index
 * that leads with it ({kind, status, _id}, {status, _id}, {studioId, _id}, {createdAt}); with none,
 * an ordered walk of _id that stops after the page.
 */
export function outcomeListQuery(models: Models, query: OutcomeListQuery) {
  const limit = query.limit ?? 20;
  const filter = allOf(outcomeFilter(query), query.cursor ? { _id: { $lt: decodeCursor(query.cursor).id } } : {});
  return models.Outcome.find(filter)
    .sort({ _id: -1 })
    .limit(limit + 1);
}

export async function listOutcomes(models: Models, query: OutcomeListQuery): Promise<OutcomeList> {
  const limit = query.limit ?? 20;
  const rows = await outcomeListQuery(models, query).lean<OutcomeDoc[]>();
  const page = rows.slice(0, limit);
  const names = await studioNames(
    models,
    page.map((r) => r.studioId),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toRecord(r, names.get(String(r.studioId)) ?? '')),
    nextCursor: rows.length > limit && last ? encodeCursor(0, last._id) : null,
  };
}

/** Admins follow a record up: its status and where it went. Written under the ticket's lock, like its creation. */
export async function updateOutcome(
  models: Models,
  redis: Redis,
  actor: Actor,
  id: string,
  patch: OutcomePatchBody,
): Promise<OutcomeRecord> {
  const _id = new Types.ObjectId(id);
  const current = await models.Outcome.findById(_id, { ticketId: 1 }).lean();
  if (!current) throw new AppError('NOT_FOUND', { logMessage: 'no such outcome record' });
  const updated = await withDocumentLock(redis, `ticket:${String(current.ticketId)}`, async () => {
    const doc = await models.Outcome.findById(_id).lean<OutcomeDoc>();
    if (!doc) throw new AppError('NOT_FOUND', { logMessage: 'outcome record vanished' });
    const next = {
      status: patch.status ?? doc.status,
      where: patch.where?.trim() ?? doc.where ?? '',
      note: patch.note?.trim() ?? doc.note ?? '',
    };
    return models.Outcome.findOneAndUpdate(
      { _id },
      { $set: next, $push: { history: { at: new Date(), actorName: actor.name, ...next } } },
      { new: true },
    ).lean<OutcomeDoc>();
  });
  if (!updated) throw new AppError('NOT_FOUND', { logMessage: 'outcome record vanished' });
  const names = await studioNames(models, [updated.studioId]);
  return toRecord(updated, names.get(String(updated.studioId)) ?? '');
}
