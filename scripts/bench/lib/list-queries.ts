/**
 * The list queries the product runs, built by the product's own builders (ticketListQuery for
 * GET /api/v1/tickets: its filter, projection, sort and limit; unreadNoticesFilter for the notices
 * badge), for the benches that time them raw through the driver (bench:lookup, bench:inbox) and
 * through the API (bench:inbox), and their `explain` as one line.
 */
import { Types, type mongo } from 'mongoose';
import type { TicketListQuery } from '@mashangshang/shared';
import { ticketListQuery } from '../../../server/src/modules/tickets/service';
import { unreadNoticesFilter } from '../../../server/src/modules/notifications/service';
import type { Models } from '../../../server/src/models';
import { encodeCursor } from '../../../server/src/lib/cursor';
import type { Actor } from '../../../server/src/modules/auth/actor';
import type { TicketWorld } from './ticket-data';

export const PAGE = 20;

export type ListKey =
  'inboxAll' | 'inboxAssigned' | 'inboxDeep' | 'overdue' | 'overdueDeep' | 'residentList' | 'noticesUnread';

export interface ListQuery {
  key: ListKey;
  label: string;
  who: 'member' | 'admin' | 'resident';
  /** The API call that runs the same query (a page of GET /api/v1/tickets, or the notices list whose answer carries unreadCount). */
  apiPath: string;
  /** The same query through the driver, as the service runs it; resolves to the number of documents (or the count). */
  raw(db: mongo.Db): Promise<number>;
  /** The query's explain, as one line (see formatExplain). */
  explain(db: mongo.Db): Promise<string>;
  /** Deep pages: how far into its list the cursor sits, and the list's length. */
  depth?: { at: number; of: number };
  /** Why it cannot be run on this data (a list too short for a deep page). */
  unavailable?: string;
}

export interface BenchActors {
  member: Actor;
  admin: Actor;
  resident: Actor;
}

/** Actors for the world's bench member (studio 0), an admin and the bench resident, as resolveActor builds them. */
export function benchActors(
  world: TicketWorld,
  ids: { memberUserId?: Types.ObjectId; residentUserId?: Types.ObjectId } = {},
): BenchActors {
  return {
    member: {
      role: 'member',
      id: ids.memberUserId ?? new Types.ObjectId(),
      memberId: world.benchMemberId,
      studioIds: [world.studioIds[0]!],
      name: '基准委员1',
    },
    admin: { role: 'admin', id: new Types.ObjectId(), memberId: null, studioIds: [], name: '管理员' },
    resident: {
      role: 'resident',
      id: ids.residentUserId ?? world.benchResidentId,
      memberId: null,
      studioIds: [],
      name: '群众',
    },
  };
}

/** The cursor that starts the page after the middle of a list (newest first), and that position. */
function middleCursor(ids: Types.ObjectId[]): { cursor: string; at: number } | null {
  if (ids.length < 2 * PAGE) return null;
  const sorted = [...ids].sort((a, b) => (a.toHexString() < b.toHexString() ? 1 : -1));
  const at = Math.floor(sorted.length / 2);
  return { cursor: encodeCursor(0, sorted[at]!), at };
}

const toUrl = (query: TicketListQuery) =>
  `/api/v1/tickets?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;

function ticketList(
  models: Models,
  key: ListKey,
  label: string,
  who: ListQuery['who'],
  actor: Actor,
  base: TicketListQuery,
  deepList?: Types.ObjectId[],
): ListQuery {
  let query: TicketListQuery = { ...base, limit: PAGE };
  let depth: ListQuery['depth'];
  let unavailable: string | undefined;
  if (deepList) {
    const middle = middleCursor(deepList);
    if (middle) {
      query = { ...query, cursor: middle.cursor };
      depth = { at: middle.at, of: deepList.length };
    } else unavailable = `the list has ${deepList.length} tickets, too few for a deep page`;
  }
  // Exactly what the route runs (ticketListQuery: filter, projection, sort, limit), sent by the driver.
  const find = (db: mongo.Db) => {
    const built = ticketListQuery(models, actor, query);
    const { sort, limit } = built.getOptions();
    return db
      .collection(models.Ticket.collection.collectionName)
      .find(built.getFilter() as mongo.Filter<mongo.Document>, { projection: built.projection() ?? undefined })
      .sort(sort as mongo.Sort)
      .limit(limit ?? PAGE + 1);
  };
  return {
    key,
    label,
    who,
    apiPath: toUrl(query),
    raw: async (db) => (await find(db).toArray()).length,
    explain: async (db) => formatExplain((await find(db).explain('queryPlanner')) as Record<string, unknown>),
    ...(depth ? { depth } : {}),
    ...(unavailable ? { unavailable } : {}),
  };
}

/** The queries named by `keys`, for the world's lists as seeded so far. */
export function listQueries(models: Models, world: TicketWorld, actors: BenchActors, keys: ListKey[]): ListQuery[] {
  const all: Record<ListKey, () => ListQuery> = {
    inboxAll: () => ticketList(models, 'inboxAll', 'inbox (all), first page', 'member', actors.member, {}),
    inboxAssigned: () =>
      ticketList(models, 'inboxAssigned', 'inbox 待回复, first page', 'member', actors.member, { status: 'assigned' }),
    inboxDeep: () =>
      ticketList(models, 'inboxDeep', 'inbox (all), deep keyset page', 'member', actors.member, {}, world.lists.inbox),
    overdue: () => ticketList(models, 'overdue', 'overdue board, first page', 'admin', actors.admin, { overdue: true }),
    overdueDeep: () =>
      ticketList(
        models,
        'overdueDeep',
        'overdue board, deep keyset page',
        'admin',
        actors.admin,
        { overdue: true },
        world.lists.overdue,
      ),
    residentList: () =>
      ticketList(models, 'residentList', "a resident's list, first page", 'resident', actors.resident, {}),
    noticesUnread: () => {
      // What listNotifications and markRead count for the badge.
      const filter = unreadNoticesFilter(actors.member);
      return {
        key: 'noticesUnread',
        label: 'notices unread count (member)',
        who: 'member',
        apiPath: '/api/v1/me/notifications?limit=1',
        raw: (db) => db.collection(models.Notification.collection.collectionName).countDocuments(filter),
        // countDocuments is this aggregation.
        explain: async (db) =>
          formatExplain(
            (await db
              .collection(models.Notification.collection.collectionName)
              .aggregate([{ $match: filter }, { $group: { _id: 1, n: { $sum: 1 } } }])
              .explain('queryPlanner')) as Record<string, unknown>,
          ),
      };
    },
  };
  return keys.map((k) => all[k]());
}

/** A node of MongoDB's explain plan, as far as the plan summaries read it. */
export interface PlanNode {
  stage?: string;
  indexName?: string;
  inputStage?: PlanNode;
  inputStages?: PlanNode[];
  queryPlan?: PlanNode;
}

/** "LIMIT ← SORT_MERGE(IXSCAN status_1__id_-1_dueAt_1, IXSCAN …)" from MongoDB's winningPlan. */
function formatPlan(node: PlanNode | undefined): string {
  if (!node) return '?';
  if (node.queryPlan) return formatPlan(node.queryPlan);
  const self = `${node.stage ?? '?'}${node.indexName ? ` ${node.indexName}` : ''}`;
  if (node.inputStage) return `${self} ← ${formatPlan(node.inputStage)}`;
  if (node.inputStages) return `${self}(${node.inputStages.map(formatPlan).join(', ')})`;
  return self;
}

/**
 * One line from an explain answer. FerretDB: SQLite's query plan (`queryPlanner.Plan`, e.g. "SCAN
 * tickets_ba4fb522" or "SEARCH … USING INDEX …") and what was pushed down to SQLite (every
 * `*Pushdown` flag it reports). MongoDB: the winning plan's stages and indexes.
 */
function formatExplain(answer: Record<string, unknown>): string {
  const doc = (Array.isArray(answer) ? (answer[0] as Record<string, unknown>) : answer) ?? {};
  const planner = (doc.queryPlanner ?? (doc.stages as Record<string, unknown>[] | undefined)?.[0]?.$cursor) as
    { winningPlan?: PlanNode; Plan?: string[]; queryPlanner?: { winningPlan?: PlanNode } } | undefined;
  const parts: string[] = [];
  if (planner?.Plan)
    parts.push(planner.Plan.map((line) => line.replace(/^id=\d+ parent=\d+ notused=\d+ detail=/, '')).join(' | '));
  const winning = planner?.winningPlan ?? planner?.queryPlanner?.winningPlan;
  if (winning) parts.push(formatPlan(winning));
  const flags = Object.keys(doc)
    .filter((k) => /pushdown/i.test(k))
    .map((k) => `${k}=${String(doc[k])}`);
  if (flags.length) parts.push(`[${flags.join(' ')}]`);
  return parts.join('  ') || JSON.stringify(doc).slice(0, 300);
}

/**
 * Times `work` up to `runs` times, stopping early once `budgetS` seconds have passed (at least one
 * sample). The first call warms up (JIT, caches) and is not counted when it was quick (under 1 s);
 * a slow one is kept, as repeating it would only cost time.
 */
export async function sample(work: () => Promise<unknown>, runs: number, budgetS: number): Promise<number[]> {
  const t0 = performance.now();
  await work();
  const first = performance.now() - t0;
  const samples: number[] = first >= 1000 ? [first] : [];
  const started = performance.now();
  while (samples.length < runs && (samples.length === 0 || (performance.now() - started) / 1000 < budgetS)) {
    const s = performance.now();
    await work();
    samples.push(performance.now() - s);
  }
  return samples;
}
