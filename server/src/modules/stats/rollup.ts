import type { Redis } from 'ioredis';
import { chinaDate } from '../../lib/china-calendar';
import type { FastifyBaseLogger } from 'fastify';
import type { Models } from '../../models';
import type { TicketDoc } from '../../models/tickets';

/**
 * Statistics are read from a rollup in Redis, not computed from the tickets on each request.
 *
 * Why: on FerretDB 1.x (SQLite) every ticket query but a lookup by `_id` reads and decodes the whole
 * collection, and that lookup still scans it inside SQLite (measured here: ~20 s for a range query or
 * a count over 100 k tickets, indexes or not), so the dashboard could never answer in time from the
 * tickets themselves.
 *
 * How: each ticket contributes counters to the bucket of its studio and submit day (China time),
 * and to the same studio's month bucket. The contribution is a pure function of the ticket; the one
 * last applied is kept per ticket, so applying a ticket again adds only the difference (idempotent).
 * It is applied after every change the API makes to a ticket (`syncTicketStats`), and a reconcile
 * (`reconcileStats`: a scan of every ticket, run by the worker nightly and whenever the rollup is
 * missing) repairs whatever a crash between the database write and Redis left out. Contributions
 * carry the ticket's `version`, so a slow scan never overwrites a newer live change.
 */

// v2: contributions also carry the assignee of an open ticket (the assignment load below).
// v3: 待补充 — paused time, tickets closed as 未补充, time to resolve (a new prefix: rebuilt on start).
const STATS_PREFIX = 'stats:v3:';
export const STATS_READY_KEY = `${STATS_PREFIX}ready`;
const OPEN_KEY = `${STATS_PREFIX}open`;
/**
 * Member id → how many open tickets (pending, assigned or answered) are assigned to them: what
 * automatic assignment balances on, read in O(1) instead of counting tickets (a full scan on FerretDB).
 */
export const LOAD_KEY = `${STATS_PREFIX}load`;
const TICKET_KEY = (ticketId: string) => `${STATS_PREFIX}t:${ticketId}`;

/** China time (UTC+8, no daylight saving): days and months of the rollup are China's. */
export const chinaDay = chinaDate;

/** What of a ticket the statistics read (a scan projects just these). */
export type StatsTicket = Pick<
  TicketDoc,
  '_id' | 'version' | 'studioId' | 'createdAt' | 'category' | 'status' | 'dueAt' | 'answeredAt' | 'outcome'
> & {
  assigneeId?: TicketDoc['assigneeId'];
  rating?: { score: number } | null;
  followUp?: { askedCount?: number; settledCount?: number; unsettledCount?: number } | null;
} & Partial<Pick<TicketDoc, 'pausedMs' | 'responseMs' | 'resolveMs' | 'closure' | 'waitingSince'>>;

const STATS_TICKET_PROJECTION = {
  version: 1,
  studioId: 1,
  createdAt: 1,
  category: 1,
  status: 1,
  dueAt: 1,
  answeredAt: 1,
  outcome: 1,
  rating: 1,
  followUp: 1,
  assigneeId: 1,
  pausedMs: 1,
  responseMs: 1,
  resolveMs: 1,
  closure: 1,
  waitingSince: 1,
} as const;

/** Statuses in which a ticket counts towards its assignee's load. */
export const LOAD_STATUSES: readonly string[] = ['pending', 'assigned', 'answered', 'waiting'];

/**
 * First-response minutes are kept as a histogram: exact to the minute under a day, to 15 minutes
 * under a week, to the hour beyond (bounded hash sizes; the median keeps that precision).
 */
function responseBin(minutes: number): number {
  if (minutes < 1440) return minutes;
  if (minutes < 10080) return minutes - (minutes % 15);
  return minutes - (minutes % 60);
}

interface Contribution {
  t: string;
  s: string;
  d: string;
  m: string;
  /** Counter name → amount. */
  f: Record<string, number>;
  /** Deadline (ms) while unanswered: such a ticket is not yet due before it. */
  due: number | null;
  /** Assignee while the ticket is open: one unit of that member's load. */
  a?: string;
}

/** The ticket version a contribution was computed from (stored beside it; newer wins). */
const versionOf = (ticket: StatsTicket) => String(ticket.version ?? 1);

function contributionOf(ticket: StatsTicket): Contribution {
  const day = chinaDay(ticket.createdAt);
  const f: Record<string, number> = { total: 1, [`c:${ticket.category}`]: 1, [`s:${ticket.status}`]: 1 };
  if (ticket.answeredAt) {
    f.answered = 1;
    if (ticket.answeredAt.getTime() <= ticket.dueAt.getTime()) f.inTime = 1;
    // Paused time (待补充) left out; a ticket stored before it was kept: submit to answer.
    const ms = ticket.responseMs ?? ticket.answeredAt.getTime() - ticket.createdAt.getTime();
    const minutes = Math.max(0, Math.floor(ms / 60_000));
    f[`r:${responseBin(minutes)}`] = 1;
  }
  const score = ticket.rating?.score;
  if (typeof score === 'number') {
    f.rated = 1;
    f.ratingSum = score;
    if (score >= 4) f.rating45 = 1;
  }
  if (ticket.status === 'resolved' && ticket.outcome && ticket.outcome !== 'none') f[`o:${ticket.outcome}`] = 1;
  const fu = ticket.followUp;
  if (fu?.askedCount) f['fu:asked'] = fu.askedCount;
  if (fu?.settledCount) f['fu:settled'] = fu.settledCount;
  if (fu?.unsettledCount) f['fu:unsettled'] = fu.unsettledCount;
  // 待补充: a ticket that waited on its resident, and for how long; one still waiting unanswered, or
  // closed for want of the resident's answer, is not due (the clock is not the studio's).
  if ((ticket.pausedMs ?? 0) > 0 || ticket.status === 'waiting') f.paused = 1;
  if ((ticket.pausedMs ?? 0) >= 60_000) f.pausedMin = Math.floor(ticket.pausedMs! / 60_000);
  if (!ticket.answeredAt && (ticket.status === 'waiting' || ticket.closure === 'unsupplied')) f.excused = 1;
  if (ticket.closure === 'unsupplied') f.unsupplied = 1;
  if (ticket.status === 'resolved' && typeof ticket.resolveMs === 'number') {
    f.resolveTimed = 1;
    const resolveMinutes = Math.floor(ticket.resolveMs / 60_000);
    if (resolveMinutes > 0) f.resolveMin = resolveMinutes;
  }
  const open = ticket.status === 'pending' || ticket.status === 'assigned';
  const contribution: Contribution = {
    t: String(ticket._id),
    s: String(ticket.studioId),
    d: day,
    m: day.slice(0, 7),
    f,
    due: open ? ticket.dueAt.getTime() : null,
  };
  if (ticket.assigneeId && LOAD_STATUSES.includes(ticket.status)) contribution.a = String(ticket.assigneeId);
  return contribution;
}

/**
 * Replaces a ticket's stored contribution with a new one, atomically: subtracts the old counters,
 * adds the new, moves its not-yet-due entry and its unit of assignee load. Answers 1 when applied, 2
 * when nothing changed, and 0 (refused) for a contribution older than the stored one.
 * (Bucket keys are derived inside the script: fine on a single Redis, which is what we run.)
 */
const APPLY_SCRIPT = `
local stored = redis.call('GET', KEYS[1])
local version = tonumber(ARGV[3])
local old = nil
if stored then
  local bar = string.find(stored, '|', 1, true)
  local oldVersion = tonumber(string.sub(stored, 1, bar - 1))
  if oldVersion > version then return 0 end
  local oldJson = string.sub(stored, bar + 1)
  if oldJson == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[3] .. '|' .. ARGV[1])
    return 2
  end
  old = cjson.decode(oldJson)
end
local new = cjson.decode(ARGV[1])
local function apply(c, sign)
  local dk = ARGV[2] .. 'd:' .. c.d
  local mk = ARGV[2] .. 'm:' .. c.m
  for name, n in pairs(c.f) do
    local field = c.s .. '|' .. name
    local amount = sign * tonumber(n)
    if redis.call('HINCRBY', dk, field, amount) == 0 then redis.call('HDEL', dk, field) end
    if redis.call('HINCRBY', mk, field, amount) == 0 then redis.call('HDEL', mk, field) end
  end
  if type(c.due) == 'number' then
    local member = c.d .. '|' .. c.s .. '|' .. c.t
    if sign < 0 then redis.call('ZREM', KEYS[2], member) else redis.call('ZADD', KEYS[2], c.due, member) end
  end
  if type(c.a) == 'string' then
    if redis.call('HINCRBY', KEYS[3], c.a, sign) <= 0 then redis.call('HDEL', KEYS[3], c.a) end
  end
end
if old then apply(old, -1) end
apply(new, 1)
redis.call('SET', KEYS[1], ARGV[3] .. '|' .. ARGV[1])
return 1
`;

interface ApplyCommand {
  applyTicketStats(
    ticketKey: string,
    openKey: string,
    loadKey: string,
    contribution: string,
    prefix: string,
    version: string,
  ): Promise<number>;
}
type StatsRedis = Redis & ApplyCommand;

function withScript(redis: Redis): StatsRedis {
  if (!('applyTicketStats' in redis)) redis.defineCommand('applyTicketStats', { numberOfKeys: 3, lua: APPLY_SCRIPT });
  return redis as StatsRedis;
}

export async function applyTicketStats(redis: Redis, ticket: StatsTicket): Promise<boolean> {
  const c = contributionOf(ticket);
  return (
    (await withScript(redis).applyTicketStats(
      TICKET_KEY(c.t),
      OPEN_KEY,
      LOAD_KEY,
      JSON.stringify(c),
      STATS_PREFIX,
      versionOf(ticket),
    )) !== 0
  );
}

/**
 * After the API changed a ticket: bring the rollup up to date. Never fails the request: a miss
 * (Redis down) is repaired by the next reconcile.
 */
export async function syncTicketStats(redis: Redis, ticket: StatsTicket, log: FastifyBaseLogger): Promise<void> {
  try {
    await applyTicketStats(redis, ticket);
  } catch (error) {
    log.warn(
      { ticketId: String(ticket._id), reason: (error as Error).message },
      'statistics not updated; the next reconcile will',
    );
  }
}

/**
 * Applies every ticket (a full scan), then marks the rollup ready. Idempotent, safe beside live
 * changes. On FerretDB this reads the whole collection: run it in the worker, not in a request.
 */
export async function reconcileStats(
  models: Models,
  redis: Redis,
  options: { batch?: number } = {},
): Promise<{ tickets: number; changed: number; ms: number }> {
  const started = Date.now();
  const batchSize = options.batch ?? 500;
  const script = withScript(redis);
  let tickets = 0;
  let changed = 0;
  let batch: StatsTicket[] = [];
  const flush = async () => {
    const pipeline = script.pipeline();
    for (const ticket of batch) {
      const c = contributionOf(ticket);
      (pipeline as unknown as { applyTicketStats: (...args: string[]) => void }).applyTicketStats(
        TICKET_KEY(c.t),
        OPEN_KEY,
        LOAD_KEY,
        JSON.stringify(c),
        STATS_PREFIX,
        versionOf(ticket),
      );
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error, result] of results) {
      if (error) throw error;
      if (result === 1) changed += 1;
    }
    tickets += batch.length;
    batch = [];
  };
  const cursor = models.Ticket.find({}, STATS_TICKET_PROJECTION).lean<StatsTicket[]>().cursor({ batchSize: 1000 });
  for await (const ticket of cursor) {
    batch.push(ticket as unknown as StatsTicket);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  await redis.set(STATS_READY_KEY, new Date().toISOString());
  return { tickets, changed, ms: Date.now() - started };
}

/**
 * Whether the rollup holds every ticket. With no ready mark but no ticket either (a new install),
 * the empty rollup is complete: it is marked ready at once (tickets created from now on are applied
 * as they change). Finding one ticket is cheap even on FerretDB.
 */
export async function statsReady(redis: Redis, models?: Models): Promise<boolean> {
  if ((await redis.exists(STATS_READY_KEY)) === 1) return true;
  if (!models || (await models.Ticket.findOne({}, { _id: 1 }).lean())) return false;
  await redis.set(STATS_READY_KEY, new Date().toISOString(), 'NX');
  return true;
}

/** Counters of one studio over a range: sums of its buckets, plus its tickets not yet due. */
export type Counters = Map<string, number>;

/** The day and month buckets that exactly cover [from, to] (whole months where the range allows). */
function bucketKeys(from: string, to: string): string[] {
  const keys: string[] = [];
  let day = from;
  while (day <= to) {
    const month = day.slice(0, 7);
    const monthEnd = lastDayOfMonth(month);
    if (day.endsWith('-01') && monthEnd <= to) {
      keys.push(`${STATS_PREFIX}m:${month}`);
      day = nextDay(monthEnd);
    } else {
      keys.push(`${STATS_PREFIX}d:${day}`);
      day = nextDay(day);
    }
  }
  return keys;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Per studio: the summed counters of [from, to], with `notYetDue` (open tickets before their deadline). */
export async function readRange(
  redis: Redis,
  from: string,
  to: string,
  now = Date.now(),
): Promise<Map<string, Counters>> {
  const keys = bucketKeys(from, to);
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.hgetall(key);
  pipeline.zrangebyscore(OPEN_KEY, `(${now}`, '+inf');
  const results = (await pipeline.exec()) ?? [];
  const byStudio = new Map<string, Counters>();
  const countersOf = (studioId: string) => {
    let counters = byStudio.get(studioId);
    if (!counters) byStudio.set(studioId, (counters = new Map()));
    return counters;
  };
  for (let i = 0; i < keys.length; i++) {
    const [error, hash] = results[i] ?? [];
    if (error) throw error;
    for (const [field, value] of Object.entries(hash as Record<string, string>)) {
      const bar = field.indexOf('|');
      const counters = countersOf(field.slice(0, bar));
      const name = field.slice(bar + 1);
      counters.set(name, (counters.get(name) ?? 0) + Number(value));
    }
  }
  const [openError, open] = results[keys.length] ?? [];
  if (openError) throw openError;
  for (const member of open as string[]) {
    const [day, studioId] = member.split('|') as [string, string];
    if (day < from || day > to) continue;
    const counters = countersOf(studioId);
    counters.set('notYetDue', (counters.get('notYetDue') ?? 0) + 1);
  }
  return byStudio;
}
