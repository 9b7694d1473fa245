import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { mongo, Types } from 'mongoose';
import type { TicketListQuery } from '@mashangshang/shared';
import { repoRoot, ServiceStartError, startDatabase, type ManagedService } from '../../scripts/services';
import { afterPosition, encodeCursor } from '../src/lib/cursor';
import { ticketScopeFilter } from '../src/workflow/access';
import type { Actor } from '../src/modules/auth/actor';
import { ticketListFilter } from '../src/modules/tickets/service';

/**
 * Differential test of the embedded FerretDB's filter and sort pushdown: two instances of the same
 * binary (.tools/bin/ferretdb), one as built (pushdown on) and one with `--test-disable-pushdown`,
 * hold the same documents and indexes. Every find, count, aggregate, distinct and write on the first
 * must give what FerretDB gives without pushdown, where it reads every document and filters and sorts
 * in Go (the reference: see REFERENCE_ARGS for why reads use a pipeline on the second instance). The
 * pushdown narrows what SQLite returns to a superset that FerretDB filters again, so any difference is
 * a pushdown that dropped a matching document, or a sort or limit applied before the filter.
 *
 * The documents carry the traps: fields that are arrays in some documents and scalars in others,
 * null and missing, int/double/long (beyond 2^53), booleans, nested documents and arrays of them,
 * strings FerretDB's JSON escapes (< > & " \ U+2028, control characters, NUL), Chinese, ObjectIds
 * and strings spelling the same hex, dates before 2001, negative and past 2286, and, in one
 * collection, _ids of mixed types (the other two have ObjectId _ids only).
 *
 * PUSHDOWN_DIFF_RUNS (find cases; writes get a third as many, default 300) and PUSHDOWN_DIFF_SEED
 * (data and queries, default fixed) make a run reproducible.
 */

const { MongoClient, ObjectId, Double, Int32, Long, BSON } = mongo;
type Db = mongo.Db;
type Doc = mongo.Document;
type SortSpec = Record<string, 1 | -1>;
/** FerretDB's own fields in an explain answer. */
interface PlanFlags {
  filterPushdown?: boolean;
  sortPushdown?: boolean;
  limitPushdown?: boolean;
}

const RUNS = Number(process.env.PUSHDOWN_DIFF_RUNS ?? 300);
const SEED = Number(process.env.PUSHDOWN_DIFF_SEED ?? 20261202);
const WRITE_RUNS = Math.max(1, Math.ceil(RUNS / 3));
const BINARY = path.join(repoRoot, '.tools', 'bin', 'ferretdb');
/**
 * The reference instance runs with `--test-disable-pushdown`. In FerretDB v1.24.2 that flag holds for
 * count, distinct, update, delete and findAndModify, but NOT for find, aggregate and explain: after
 * `if !h.DisablePushdown { qp.Filter = params.Filter }` they run `if !h.EnableNestedPushdown &&
 * params.Filter != nil { qp.Filter = params.Filter.DeepCopy() }` and drop only the dotted keys
 * (handler/msg_find.go, msg_aggregate.go, msg_explain.go), so the backend still gets the filter (its
 * explain says filterPushdown: true), and FerretDB refuses the two flags together. The reference
 * reads therefore go through referencePipeline() on this instance: an aggregation whose first stage is
 * not $match, so nothing is pushed down (aggregations.GetPushdownQuery stops at the first other stage);
 * FerretDB applies $match with the same filter code as find, and $sort with the same sort code.
 * Each case checks the reference's explain says so. (Our patch 0003 removes that copy, so the flag
 * holds for find again; the pipeline stays, so the reference does not rest on our own change.)
 */
const REFERENCE_ARGS = ['--test-disable-pushdown'];
function referencePipeline(c: { filter: Doc; sort?: SortSpec; skip?: number; limit?: number }, windowed = true): Doc[] {
  return [
    { $skip: 0 },
    { $match: c.filter },
    ...(c.sort ? [{ $sort: c.sort }] : []),
    ...(windowed && c.skip !== undefined ? [{ $skip: c.skip }] : []),
    ...(windowed && c.limit !== undefined ? [{ $limit: c.limit }] : []),
  ];
}
/** Values come back as stored (Int32, Double, Long objects), so a changed number type is a difference too. */
const RAW = { promoteValues: false, promoteLongs: false } as const;

// ---------------------------------------------------------------------------------------------
// Values

/** Deterministic PRNG (mulberry32) for the documents, seeded from SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const chance = (p: number) => rnd() < p;
const hex24 = () => Array.from({ length: 24 }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('');
const oid = (hex: string) => new ObjectId(hex);
const date = (ms: number) => new Date(ms);

const FIXED_OIDS = [
  '000000000000000000000000',
  '000000000000000000000001',
  '5f0000000000000000000001',
  '65a000000000000000000001',
  '65a000000000000000000002',
  '7fffffffffffffffffffffff',
  'ffffffffffffffffffffffff',
].map(oid);
/** ObjectIds used as field values; their hex also appears as plain strings. */
const VALUE_OIDS = [...FIXED_OIDS.slice(2, 5), oid('64b7c0ffee0000000000beef')];
const STRINGS = [
  'x',
  'y',
  'z',
  'X',
  'xy',
  '',
  ' ',
  '<',
  '>',
  '&',
  '"',
  '\\',
  '\u2028',
  '\u2029',
  'a"b',
  'a\\b',
  '<&>"\\\u2028',
  '\u0001',
  '\t',
  'line\nbreak',
  '\u007f',
  'a\u0000b',
  'a',
  '张三',
  '李四',
  '工作室',
  '中文<&>"',
  '😀',
  '1',
  '10',
  '2',
  'null',
  'true',
  ...VALUE_OIDS.map((id) => id.toHexString()),
];
const NUMBERS = [
  ...[0, 1, -1, 2, 10, 2147483647, -2147483648].map((n) => new Int32(n)),
  ...[0, -0, 1, 1.5, -2.5, 0.1, 1e300, -1e300, 2 ** 53, 5e-324, 2147483648.5].map((n) => new Double(n)),
  ...['0', '1', '2', '-1', '2147483648', '9007199254740993', '9223372036854775807', '-9223372036854775808'].map((s) =>
    Long.fromString(s),
  ),
];
const MS_2001 = Date.UTC(2001, 0, 1);
const MS_2286 = 9_999_999_999_999;
const DATES = [
  -8.64e15,
  -1e12,
  -86_400_000,
  -1,
  0,
  1,
  999,
  946_684_800_000,
  MS_2001 - 1,
  MS_2001,
  1_700_000_000_000,
  Date.UTC(2026, 0, 15),
  MS_2286,
  MS_2286 + 1,
  99_999_999_999_999,
  8.64e15,
].map(date);
const SCALARS: unknown[] = [...STRINGS, ...NUMBERS, ...DATES, ...VALUE_OIDS, true, false, null];

const NOW = Date.UTC(2026, 0, 15, 8);
const STUDIOS = [
  '65a1000000000000000000a1',
  '65a1000000000000000000a2',
  '65a1000000000000000000a3',
  '65a1000000000000000000a4',
].map(oid);
const MEMBERS = [
  '65a2000000000000000000b1',
  '65a2000000000000000000b2',
  '65a2000000000000000000b3',
  '65a2000000000000000000b4',
  '65a2000000000000000000b5',
].map(oid);
const RESIDENTS = ['65a3000000000000000000c1', '65a3000000000000000000c2', '65a3000000000000000000c3'].map(oid);
const STATUSES = ['pending', 'assigned', 'answered', 'resolved'];
const CHECKS = ['pass', 'review', 'pending', 'rejected'];

// ---------------------------------------------------------------------------------------------
// Documents

const scalarArray = (from: readonly unknown[], max = 3) =>
  Array.from({ length: Math.floor(rnd() * (max + 1)) }, () => pick(from));

/** The value of one field: missing (undefined), null, a scalar from its pool or the global one, or an array. */
function fieldValue(own: readonly unknown[], arrayChance = 0.25): unknown {
  if (chance(0.12)) return undefined;
  if (chance(0.08)) return null;
  if (chance(arrayChance)) return scalarArray(chance(0.8) ? own : SCALARS);
  return chance(0.85) ? pick(own) : pick(SCALARS);
}

function nestedValue(): unknown {
  const v = () => pick(chance(0.7) ? [...NUMBERS.slice(0, 5), 'a', 'x', null] : SCALARS);
  return pick([
    () => undefined,
    () => null,
    () => ({ x: v() }),
    () => ({ x: v(), y: v() }),
    () => ({ y: v() }),
    () => ({}),
    () => [{ x: v() }],
    () => [{ x: v() }, { x: v() }],
    () => [{ y: v() }, { x: v() }],
    () => [v(), v()],
    () => [],
    () => ({ x: [v(), v()] }),
    () => ({ x: { x: v() } }),
    () => 'x',
  ])();
}

/** Drop undefined fields, keeping the rest in order. */
function compact(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== undefined));
}

function trapDoc(_id: unknown): Doc {
  return compact({
    _id,
    a: fieldValue(['x', 'y', 'z', 'xy', '', '张三', ...NUMBERS.slice(0, 4)], 0.35),
    s: fieldValue(STRINGS, 0.15),
    b: fieldValue([true, false, new Int32(0), new Int32(1)], 0.15),
    num: fieldValue(NUMBERS, 0.2),
    d: fieldValue([...DATES, ...DATES, new Int32(0), Long.fromString('1700000000000'), '2026-01-15'], 0.15),
    tags: chance(0.7)
      ? scalarArray(['x', 'y', 'z', '工作室', '<&>', null, new Int32(1)], 4)
      : fieldValue(['x', 'y', 'z'], 0),
    o: fieldValue([...VALUE_OIDS, ...VALUE_OIDS.map((id) => id.toHexString())], 0.15),
    n: nestedValue(),
    u: fieldValue(SCALARS, 0.2),
  });
}

/** Hand-written documents the sanity assertions refer to (first in both trap collections). */
const FIX = {
  xScalar: oid('65b000000000000000000001'),
  xArray: oid('65b000000000000000000002'),
  aNull: oid('65b000000000000000000003'),
  aMissing: oid('65b000000000000000000004'),
  escaped: oid('65b000000000000000000005'),
  old: oid('65b000000000000000000006'),
  future: oid('65b000000000000000000007'),
  big: oid('65b000000000000000000008'),
};
const fixedDocs = (): Doc[] => [
  { _id: FIX.xScalar, a: 'x', s: 'x', tags: ['x'] },
  { _id: FIX.xArray, a: ['x', 'y'], tags: 'x', n: [{ x: new Int32(1) }, { x: 'a' }] },
  { _id: FIX.aNull, a: null, n: { x: new Int32(1) } },
  { _id: FIX.aMissing, s: 'y' },
  { _id: FIX.escaped, s: '<&>"\\\u2028', d: date(-1e12) },
  { _id: FIX.old, s: '张三', d: date(946_684_800_000) },
  { _id: FIX.future, s: '李四', d: date(99_999_999_999_999) },
  { _id: FIX.big, num: Long.fromString('9007199254740993') },
];

function oidIds(count: number): Types.ObjectId[] {
  const seen = new Set<string>(Object.values(FIX).map(String));
  const ids: Types.ObjectId[] = [];
  while (ids.length < count) {
    // Random ones, ones crowded around the same seconds (neighbours differ in the last bytes), and the extremes.
    const hex =
      ids.length < 2
        ? FIXED_OIDS[ids.length === 0 ? 0 : 6]!.toHexString()
        : chance(0.5)
          ? hex24()
          : `65a0000000000000000000${Math.floor(rnd() * 256)
              .toString(16)
              .padStart(2, '0')}`;
    if (seen.has(hex)) continue;
    seen.add(hex);
    ids.push(oid(hex));
  }
  return ids;
}

function mixedIds(count: number): unknown[] {
  const seen = new Set<string>(Object.values(FIX).map(String));
  const ids: unknown[] = [
    true,
    false,
    date(-1e12),
    date(MS_2001),
    date(99_999_999_999_999),
    { x: new Int32(1) },
    { x: 'a' },
  ];
  for (let i = 0; ids.length < count; i++) {
    const kind = rnd();
    let id: unknown;
    if (kind < 0.45) {
      const hex = hex24();
      if (seen.has(hex)) continue;
      seen.add(hex);
      id = oid(hex);
    } else if (kind < 0.7) {
      // Strings, some spelling 24 hex digits (never the hex of an ObjectId _id here: FerretDB's
      // unique _id index on the JSON text refuses that pair).
      const hex = hex24();
      if (seen.has(hex)) continue;
      seen.add(hex);
      id = pick([hex, `${pick(['', 'x', '<&>', '张', '"', '\u2028'])}${i}`]);
    } else {
      id = pick([
        () => new Int32(i),
        () => new Double(i + 0.25),
        () => new Double(-i - 0.5),
        () => Long.fromString(String(2 ** 40 + i)),
      ])();
    }
    ids.push(id);
  }
  return ids;
}

function ticketDocs(count: number): Doc[] {
  const docs: Doc[] = [];
  for (let i = 0; i < count; i++) {
    const created = NOW - Math.floor(rnd() * 20 * 86_400_000);
    const status = pick(STATUSES);
    const assigned = status !== 'pending' || chance(0.1);
    const dueAt = chance(0.9)
      ? date(created + (1 + Math.floor(rnd() * 10)) * 86_400_000)
      : pick([null, undefined, date(946_684_800_000), date(99_999_999_999_999), '2026-01-15']);
    docs.push(
      compact({
        _id: new ObjectId(
          `${Math.floor(created / 1000)
            .toString(16)
            .padStart(8, '0')}${i.toString(16).padStart(16, '0')}`,
        ),
        no: `HN${new Date(created).toISOString().slice(0, 10).replaceAll('-', '')}-${String(i).padStart(6, '0')}`,
        residentId: pick(RESIDENTS),
        studioId: chance(0.97) ? pick(STUDIOS) : STUDIOS[0]!.toHexString(),
        status: chance(0.98) ? status : pick([['assigned'], null, 'closed']),
        assigneeId: assigned ? pick(MEMBERS) : chance(0.5) ? null : undefined,
        assignedAt: assigned ? date(created + 60_000) : null,
        contentCheck: chance(0.97) ? pick(CHECKS) : pick([undefined, null]),
        dueAt,
        rating:
          status === 'resolved' && chance(0.5)
            ? { score: new Int32(1 + Math.floor(rnd() * 5)), comment: pick(['很好', '<&>', '']) }
            : null,
        flagged: chance(0.1),
        noticesPendingSince: chance(0.2) ? date(created + 1000) : null,
        version: pick([new Int32(1), new Int32(2), new Double(3), Long.fromString('4')]),
        timeline: [
          { type: 'submitted', at: date(created) },
          ...(assigned ? [{ type: 'assigned', at: date(created + 60_000) }] : []),
        ],
        content: `第 ${i} 条留言：${pick(['路灯坏了', '垃圾没人清运', '<script>"&"</script>', 'line\u2028sep'])}`,
        createdAt: date(created),
      }),
    );
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------
// Collections, their indexes, and the values queries draw from

interface CollectionSpec {
  name: string;
  docs: Doc[];
  indexes: Doc[];
  /** Query paths and the values their conditions use (the field's own first, then anything). */
  fields: Record<string, readonly unknown[]>;
  sorts: (SortSpec | undefined)[];
  distinct: string[];
}

const TRAP_INDEXES: Doc[] = [
  { a: 1 },
  { s: 1 },
  { b: 1, _id: -1 },
  { 'n.x': 1 },
  { d: 1 },
  { a: 1, s: 1, _id: -1 },
  { tags: 1 },
  { num: 1 },
  { o: 1 },
  { d: -1, _id: 1 },
];
const TRAP_SORTS: (SortSpec | undefined)[] = [
  undefined,
  undefined,
  { _id: 1 },
  { _id: -1 },
  { _id: -1 },
  { a: 1, _id: 1 },
  { s: -1, _id: 1 },
  { d: 1, _id: -1 },
  { num: -1, _id: -1 },
  { 'n.x': 1, _id: 1 },
  { b: 1, _id: -1 },
  { tags: 1, _id: 1 },
];

function trapFields(ids: unknown[]): Record<string, readonly unknown[]> {
  const someIds = ids.filter((_, i) => i % 4 === 0);
  const neighbours = ids
    .filter((id): id is Types.ObjectId => id instanceof ObjectId)
    .slice(0, 6)
    .map((id) => {
      const hex = id.toHexString();
      return oid(`${hex.slice(0, 23)}${((parseInt(hex[23]!, 16) + 1) % 16).toString(16)}`);
    });
  return {
    _id: [
      ...someIds,
      ...neighbours,
      ...FIXED_OIDS,
      ...Object.values(FIX),
      '',
      'x',
      '65a0000000000000000000',
      FIXED_OIDS[3]!.toHexString(),
      new Int32(0),
      new Int32(50),
      new Double(10.25),
      Long.fromString(String(2 ** 40)),
      date(0),
      date(MS_2001),
      true,
      null,
    ],
    a: ['x', 'y', 'z', 'xy', '', '张三', ['x', 'y'], [], null],
    s: [...STRINGS.slice(0, 24), 'x\u0000', null],
    b: [true, false, new Int32(0), new Int32(1), null],
    num: [...NUMBERS, new Double(9007199254740992), null],
    d: [
      ...DATES,
      date(Date.UTC(2286, 10, 21)),
      date(MS_2001 + 1),
      new Int32(0),
      Long.fromString('1700000000000'),
      '2026-01-15',
      null,
    ],
    tags: ['x', 'y', '工作室', '<&>', ['x'], ['x', 'y'], [], null],
    o: [...VALUE_OIDS, ...VALUE_OIDS.map((id) => id.toHexString()), null],
    u: ['x', new Int32(1), null, true],
    n: [{ x: new Int32(1) }, {}, [], null],
    'n.x': [new Int32(0), new Int32(1), new Double(1), Long.fromString('1'), 'a', 'x', null, [new Int32(1)]],
    'n.y': [new Int32(1), 'a', null],
    'n.0.x': [new Int32(1), 'a', null],
    'tags.0': ['x', 'y', null],
    'a.0': ['x', 'y', null],
    missing: [null, 'x', new Int32(1)],
  };
}

function collections(): CollectionSpec[] {
  const oidCollectionIds = oidIds(72);
  const mixed = mixedIds(72);
  const tickets = ticketDocs(120);
  const ticketIds = tickets.map((t) => t._id as Types.ObjectId);
  const times = [
    NOW - 30 * 86_400_000,
    NOW - 86_400_000,
    NOW,
    NOW + 3 * 86_400_000,
    946_684_800_000,
    -1e12,
    MS_2286 + 1,
  ].map(date);
  return [
    {
      name: 'trap_oid',
      docs: [...fixedDocs(), ...oidCollectionIds.map(trapDoc)],
      indexes: TRAP_INDEXES,
      fields: trapFields(oidCollectionIds),
      sorts: TRAP_SORTS,
      distinct: ['a', 's', 'n.x', 'd'],
    },
    {
      name: 'trap_mixed',
      docs: [...fixedDocs(), ...mixed.map(trapDoc)],
      indexes: TRAP_INDEXES,
      fields: trapFields(mixed),
      sorts: TRAP_SORTS,
      distinct: ['a', 'tags', 'num'],
    },
    {
      name: 'tickets',
      docs: tickets,
      // The product's ticket indexes (server/src/models/tickets.ts), plus single-field ones.
      indexes: [
        { no: 1 },
        { residentId: 1, _id: -1 },
        { studioId: 1, status: 1, _id: -1 },
        { assigneeId: 1, status: 1, _id: -1 },
        { assigneeId: 1, assignedAt: -1 },
        { status: 1, dueAt: 1 },
        { status: 1, _id: -1, dueAt: 1 },
        { noticesPendingSince: 1 },
        { dueAt: 1 },
        { contentCheck: 1 },
      ],
      fields: {
        _id: [
          ...ticketIds.filter((_, i) => i % 5 === 0),
          ...FIXED_OIDS,
          ObjectId.createFromTime(Math.floor(NOW / 1000) - 5 * 86_400),
          ObjectId.createFromTime(Math.floor(NOW / 1000)),
          ticketIds[0]!.toHexString(),
          null,
        ],
        studioId: [...STUDIOS, STUDIOS[0]!.toHexString(), oid('65a1000000000000000000ff'), null],
        status: [...STATUSES, 'closed', ['assigned'], null],
        assigneeId: [...MEMBERS, FIXED_OIDS[0]!, null],
        contentCheck: [...CHECKS, null],
        dueAt: [...times, '2026-01-15', null],
        createdAt: times,
        assignedAt: [...times, null],
        noticesPendingSince: [...times, null],
        no: tickets.filter((_, i) => i % 10 === 0).map((t) => t.no as string),
        version: [new Int32(1), new Int32(2), new Double(3), Long.fromString('4'), new Double(2.5)],
        rating: [null, { score: new Int32(5) }],
        'rating.score': [new Int32(1), new Int32(3), new Int32(5), null],
        'timeline.type': ['submitted', 'assigned', 'reply'],
        residentId: [...RESIDENTS, null],
        flagged: [true, false],
      },
      sorts: [
        undefined,
        { _id: -1 },
        { _id: -1 },
        { _id: 1 },
        { dueAt: 1, _id: 1 },
        { createdAt: -1, _id: -1 },
        { status: 1, _id: -1 },
      ],
      distinct: ['status', 'studioId', 'assigneeId'],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Query arbitraries

type Filter = Doc;
interface FindCase {
  coll: string;
  filter: Filter;
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  /** The second read each case makes beside find (each reads the collection again, so one per case). */
  extra: 'count' | 'aggregate' | 'distinct';
  distinct: string;
  shape: string;
}

function conditionArb(own: readonly unknown[]): fc.Arbitrary<unknown> {
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...own) },
    { weight: 1, arbitrary: fc.constantFrom(...SCALARS) },
  );
  const rangeValue = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...own.filter((v) => !Array.isArray(v))) },
    { weight: 2, arbitrary: fc.constantFrom(...SCALARS) },
  );
  const cmp = fc.constantFrom('$gt', '$gte', '$lt', '$lte');
  const unpushable = fc.oneof(
    fc.constantFrom(
      { $type: 'string' },
      { $type: 'array' },
      { $type: 'date' },
      { $type: 'objectId' },
      { $type: 'null' },
      { $type: 'long' },
      { $size: 0 },
      { $size: 2 },
      { $regex: '^x' },
      { $regex: '中' },
      { $mod: [2, 0] },
    ),
    rangeValue.map((v) => ({ $not: { $gt: v } })),
    rangeValue.map((v) => ({ $elemMatch: { $gte: v } })),
    value.map((v) => ({ $all: [v] })),
  );
  return fc.oneof(
    { weight: 4, arbitrary: value },
    { weight: 2, arbitrary: value.map((v) => ({ $eq: v })) },
    { weight: 3, arbitrary: fc.array(value, { maxLength: 4 }).map((vs) => ({ $in: vs })) },
    { weight: 2, arbitrary: value.map((v) => ({ $ne: v })) },
    { weight: 2, arbitrary: fc.array(value, { maxLength: 3 }).map((vs) => ({ $nin: vs })) },
    { weight: 4, arbitrary: fc.tuple(cmp, rangeValue).map(([op, v]) => ({ [op]: v })) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom('$gt', '$gte'), rangeValue, fc.constantFrom('$lt', '$lte'), rangeValue)
        .map(([lo, a, hi, b]) => ({ [lo]: a, [hi]: b })),
    },
    { weight: 1, arbitrary: fc.tuple(value, cmp, rangeValue).map(([ne, op, v]) => ({ $ne: ne, [op]: v })) },
    { weight: 2, arbitrary: fc.boolean().map((exists) => ({ $exists: exists })) },
    { weight: 2, arbitrary: unpushable },
  );
}

function filterArb(spec: CollectionSpec): fc.Arbitrary<Filter> {
  const paths = Object.keys(spec.fields);
  const condition = fc.oneof(...paths.map((p) => fc.tuple(fc.constant(p), conditionArb(spec.fields[p]!))));
  const leaf = fc
    .uniqueArray(condition, { minLength: 1, maxLength: 3, selector: ([p]) => p })
    .map((entries) => Object.fromEntries(entries) as Filter);
  const tree = fc.letrec<{ node: Filter; logical: Filter }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      { weight: 3, arbitrary: leaf },
      { weight: 2, arbitrary: tie('logical') },
    ),
    logical: fc
      .tuple(
        fc.constantFrom('$and', '$and', '$or', '$or', '$nor'),
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
        fc.option(leaf, { nil: undefined }),
      )
      .map(([op, kids, beside]) => ({ ...(beside ?? {}), [op]: kids })),
  }));
  return fc.oneof({ weight: 1, arbitrary: fc.constant({}) }, { weight: 12, arbitrary: tree.node });
}

const extraArb = fc.constantFrom<FindCase['extra']>('count', 'aggregate', 'distinct');
const limitArb = fc.option(fc.constantFrom(1, 2, 3, 5, 10, 21, 100), { nil: undefined, freq: 2 });
const skipArb = fc.option(fc.constantFrom(1, 2, 5, 20), { nil: undefined, freq: 1 });

function genericCaseArb(spec: CollectionSpec): fc.Arbitrary<FindCase> {
  return fc
    .record({
      filter: filterArb(spec),
      sort: fc.constantFrom(...spec.sorts),
      skip: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: skipArb }),
      limit: limitArb,
      extra: extraArb,
      distinct: fc.constantFrom(...spec.distinct),
    })
    .map((c) => ({ ...c, coll: spec.name, shape: 'generic' }));
}

/** The product's own list shapes on the tickets collection. */
function productCaseArb(spec: CollectionSpec): fc.Arbitrary<FindCase> {
  const ids = spec.fields._id!.filter((v): v is Types.ObjectId => v instanceof ObjectId);
  const cursor = fc.constantFrom(...ids, ObjectId.createFromTime(Math.floor(NOW / 1000) + 86_400));
  const now = fc.constantFrom(
    ...[NOW, NOW - 5 * 86_400_000, NOW + 5 * 86_400_000, 946_684_800_000, -1e12, MS_2286 + 1].map(date),
  );
  const studioIds = fc.uniqueArray(fc.constantFrom(...STUDIOS, oid('65a1000000000000000000ff')), {
    minLength: 1,
    maxLength: 3,
  });
  const member = fc.constantFrom(...MEMBERS);
  const inbox = fc
    .record({ s: studioIds, m: member, c: cursor, withCursor: fc.boolean() })
    .map(({ s, m, c, withCursor }) => ({
      $or: [
        {
          $and: [
            { studioId: { $in: s } },
            { contentCheck: 'pass' },
            { status: 'assigned' },
            ...(withCursor ? [{ _id: { $lt: c } }] : []),
          ],
        },
        {
          $and: [
            { assigneeId: m },
            { contentCheck: 'pass' },
            { status: 'assigned' },
            ...(withCursor ? [{ _id: { $lt: c } }] : []),
          ],
        },
      ],
    }));
  const overdue = now.map((at) => ({ status: { $in: ['pending', 'assigned'] }, dueAt: { $lt: at } }));
  const actor = fc.oneof(
    fc
      .record({ s: studioIds, m: fc.option(member, { nil: null }) })
      .map(({ s, m }): Actor => ({ role: 'member', id: RESIDENTS[0]!, memberId: m, studioIds: s, name: '委员' })),
    fc
      .constantFrom(...RESIDENTS)
      .map((id): Actor => ({ role: 'resident', id, memberId: null, studioIds: [], name: '群众' })),
    fc.constant<Actor>({ role: 'admin', id: FIXED_OIDS[2]!, memberId: null, studioIds: [], name: '管理员' }),
  );
  const listQuery = fc.record(
    {
      status: fc.constantFrom(...(STATUSES as TicketListQuery['status'][])),
      studioId: fc.constantFrom(...STUDIOS.map(String)),
      overdue: fc.boolean(),
      assignee: fc.constant('me' as const),
      cursor: cursor.map((id) => encodeCursor(0, id)),
    },
    { requiredKeys: [] },
  );
  const list = fc
    .tuple(actor, listQuery, now)
    .map(([who, query, at]) => ticketListFilter(who, query as TicketListQuery, at));
  const keyset = fc
    .tuple(
      fc.constantFrom('dueAt', 'createdAt'),
      fc.constantFrom(...spec.fields.dueAt!.filter((v): v is Date => v instanceof Date)),
      cursor,
    )
    .map(([field, key, id]) => ({ field, filter: afterPosition(field, { key: key as unknown as number, id }) }));
  // A guarded read or change of one ticket: by _id, within the actor's scope, in the expected state.
  const guard = fc.constantFrom<Filter>(
    {},
    { status: 'assigned' },
    { status: { $in: ['answered', 'resolved'] }, rating: null, contentCheck: { $ne: 'rejected' } },
    { contentCheck: { $in: ['review', 'pending'] } },
    { version: 1 },
  );
  const guarded = fc
    .tuple(fc.constantFrom(...ids), actor, guard)
    .map(([id, who, g]) => ({ _id: id, ...ticketScopeFilter(who), ...g }));
  const shaped = (shape: string, filter: fc.Arbitrary<{ filter: Filter; sort: SortSpec }>) =>
    fc
      .tuple(filter, extraArb)
      .map(([f, extra]): FindCase => ({ coll: spec.name, ...f, limit: 21, extra, distinct: 'status', shape }));
  return fc.oneof(
    shaped(
      'inbox',
      inbox.map((filter) => ({ filter, sort: { _id: -1 } })),
    ),
    shaped(
      'overdue',
      overdue.map((filter) => ({ filter, sort: { _id: -1 } })),
    ),
    shaped(
      'ticketListFilter',
      list.map((filter) => ({ filter, sort: { _id: -1 } })),
    ),
    shaped(
      'keyset',
      keyset.map(({ field, filter }) => ({ filter, sort: { [field]: 1, _id: 1 } })),
    ),
    shaped(
      'guarded',
      guarded.map((filter) => ({ filter, sort: { _id: -1 } })),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Running and comparing

interface Instance {
  label: string;
  service: ManagedService;
  client: mongo.MongoClient;
  db: Db;
}
type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    const e = err as { code?: unknown; codeName?: unknown; message?: unknown };
    return { ok: false, error: `${String(e.code ?? '')} ${String(e.codeName ?? '')}: ${String(e.message ?? err)}` };
  }
}

const canon = (value: unknown): string => BSON.EJSON.stringify(value as Doc, { relaxed: false });
const show = (value: unknown, max = 6000): string => {
  const text = canon(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
};
const multiset = (docs: unknown[]) => docs.map(canon).sort();
const outcomeKey = (o: Outcome<unknown>, project: (v: unknown) => unknown = (v) => v) =>
  o.ok ? canon(project(o.value)) : `error ${o.error}`;

function describeCase(c: Pick<FindCase, 'coll' | 'filter' | 'sort' | 'skip' | 'limit'> & { shape?: string }): string {
  return `collection ${c.coll}${c.shape ? ` (${c.shape})` : ''}\n  filter: ${show(c.filter)}\n  sort: ${c.sort ? canon(c.sort) : 'none'}  skip: ${c.skip ?? 'none'}  limit: ${c.limit ?? 'none'}`;
}

function findDocs(
  db: Db,
  c: Pick<FindCase, 'coll' | 'filter' | 'sort' | 'skip' | 'limit'>,
  windowed = true,
): Promise<Doc[]> {
  let cursor = db.collection(c.coll).find(c.filter, RAW);
  if (c.sort) cursor = cursor.sort(c.sort);
  if (windowed && c.skip !== undefined) cursor = cursor.skip(c.skip);
  if (windowed && c.limit !== undefined) cursor = cursor.limit(c.limit);
  return cursor.toArray();
}

/** How many documents a window of `total` matches holds. */
const windowSize = (total: number, skip = 0, limit = 0) =>
  Math.max(0, Math.min(limit > 0 ? limit : Infinity, total - skip));

function isSubMultiset(part: string[], whole: string[]): boolean {
  const counts = new Map<string, number>();
  for (const key of whole) counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const key of part) {
    const left = counts.get(key) ?? 0;
    if (left === 0) return false;
    counts.set(key, left - 1);
  }
  return true;
}

/** The documents only one side has, and the first position where the orders part. */
function describeDifference(got: Doc[], ref: Doc[]): string {
  const count = (docs: Doc[]) =>
    docs.map(canon).reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const [g, r] = [count(got), count(ref)];
  const missing = [...r].filter(([k, n]) => (g.get(k) ?? 0) < n).map(([k]) => k);
  const extra = [...g].filter(([k, n]) => (r.get(k) ?? 0) < n).map(([k]) => k);
  const firstOff = got.findIndex((d, i) => i >= ref.length || canon(d) !== canon(ref[i]));
  return (
    `  ${got.length} documents vs ${ref.length} in the reference\n` +
    (missing.length ? `  missing (only in the reference): ${missing.join(', ')}\n` : '') +
    (extra.length ? `  extra (not in the reference): ${extra.join(', ')}\n` : '') +
    (!missing.length && !extra.length && firstOff >= 0
      ? `  same documents, order differs from position ${firstOff}\n`
      : '')
  );
}

const stats = {
  finds: 0,
  nonEmpty: 0,
  errors: 0,
  filterPushdown: 0,
  sortPushdown: 0,
  limitPushdown: 0,
  shapes: {} as Record<string, number>,
  writes: 0,
  writesChanged: 0,
};

describe('FerretDB filter/sort pushdown gives the same answers as FerretDB without pushdown', () => {
  const tmpDirs: string[] = [];
  const instances: Instance[] = [];
  let pushdown: Instance;
  let reference: Instance;
  let specs: CollectionSpec[];
  let build = '';
  /** Each scratch (`_w`) collection's contents as loaded (read back, so as FerretDB stores them). */
  const pristine = new Map<string, string>();
  /** Scratch collections whose contents are known to be pristine on both instances (no reload needed). */
  const clean = new Set<string>();

  async function startInstance(label: string, ferretdbArgs: string[]): Promise<Instance> {
    const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `mss-pushdown-${label}-`));
    tmpDirs.push(dataDir);
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        const service = await startDatabase({
          dataDir,
          dbName: 'pushdown_diff',
          binary: { kind: 'ferretdb', path: BINARY },
          ferretdbArgs,
        });
        const instance: Instance = { label, service, client: new MongoClient(service.uri), db: null as unknown as Db };
        instances.push(instance);
        await instance.client.connect();
        instance.db = instance.client.db();
        return instance;
      } catch (err) {
        if (err instanceof ServiceStartError && err.reason === 'port_taken' && attemptNo < 5) continue;
        throw err;
      }
    }
  }

  /** Run the same work on both instances at once. */
  const both = <T>(work: (db: Db) => Promise<T>) =>
    Promise.all([attempt(() => work(pushdown.db)), attempt(() => work(reference.db))]);
  /** The reference answer of a read: referencePipeline() on the reference instance. */
  const referenceRead = (c: Pick<FindCase, 'coll' | 'filter' | 'sort' | 'skip' | 'limit'>, windowed = true) =>
    reference.db.collection(c.coll).aggregate(referencePipeline(c, windowed), RAW).toArray();
  const referencePlan = async (c: Pick<FindCase, 'coll' | 'filter' | 'sort' | 'skip' | 'limit'>) =>
    (await reference.db.command({
      explain: { aggregate: c.coll, pipeline: referencePipeline(c), cursor: {} },
    })) as PlanFlags;

  async function load(db: Db, spec: CollectionSpec, name = spec.name): Promise<void> {
    const coll = db.collection(name);
    await coll.deleteMany({});
    await coll.insertMany(spec.docs.map((d) => ({ ...d })));
  }

  beforeAll(async () => {
    if (!fs.existsSync(BINARY)) {
      throw new Error(
        `FerretDB binary missing at ${BINARY}: run \`npm run setup\` (it builds FerretDB into .tools/bin); this test does not skip`,
      );
    }
    const stamp = path.join(repoRoot, '.tools', 'bin', 'ferretdb.patches');
    build = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim().split('\n').join(', ') : 'no patch stamp';
    [pushdown, reference] = await Promise.all([
      startInstance('pushdown', []),
      startInstance('reference', REFERENCE_ARGS),
    ]);
    specs = collections();
    for (const inst of [pushdown, reference]) {
      for (const spec of specs) {
        for (const name of [spec.name, `${spec.name}_w`]) {
          await inst.db.createCollection(name);
          for (const key of spec.indexes) await inst.db.collection(name).createIndex(key);
          await load(inst.db, spec, name);
          if (inst === reference && name.endsWith('_w')) {
            pristine.set(name, canon(multiset(await inst.db.collection(name).find({}, RAW).toArray())));
            clean.add(name);
          }
        }
      }
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(instances.map((i) => i.client.close()));
    await Promise.allSettled(instances.map((i) => i.service.stop()));
    await Promise.all(tmpDirs.map((dir) => fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 3 })));
  });

  const spec = (name: string) => specs.find((s) => s.name === name)!;
  const ids = (docs: Doc[]) => docs.map((d) => String(d._id));

  it('hand-written cases: both instances agree and find what MongoDB semantics say', async () => {
    const cases: { coll: string; filter: Filter; sort?: SortSpec; limit?: number; expect: Types.ObjectId[] }[] = [
      { coll: 'trap_oid', filter: { a: 'x' }, expect: [FIX.xScalar, FIX.xArray] },
      { coll: 'trap_mixed', filter: { a: { $in: ['x'] } }, expect: [FIX.xScalar, FIX.xArray] },
      { coll: 'trap_oid', filter: { tags: 'x' }, expect: [FIX.xScalar, FIX.xArray] },
      { coll: 'trap_oid', filter: { 'n.x': 1 }, expect: [FIX.xArray, FIX.aNull] },
      { coll: 'trap_oid', filter: { a: null }, expect: [FIX.aNull, FIX.aMissing] },
      { coll: 'trap_oid', filter: { s: '<&>"\\\u2028' }, expect: [FIX.escaped] },
      { coll: 'trap_oid', filter: { s: '张三' }, expect: [FIX.old] },
      { coll: 'trap_oid', filter: { d: { $lt: date(0) } }, expect: [FIX.escaped] },
      { coll: 'trap_oid', filter: { d: { $gte: date(946_684_800_000), $lt: date(MS_2001) } }, expect: [FIX.old] },
      { coll: 'trap_oid', filter: { d: { $gt: date(Date.UTC(2286, 10, 21)) } }, expect: [FIX.future] },
      { coll: 'trap_oid', filter: { num: Long.fromString('9007199254740993') }, expect: [FIX.big] },
      {
        coll: 'trap_oid',
        filter: { _id: { $gte: FIX.xScalar, $lte: FIX.big } },
        sort: { _id: -1 },
        limit: 3,
        expect: [FIX.big, FIX.future, FIX.old],
      },
      {
        coll: 'trap_mixed',
        filter: { _id: { $in: [FIX.xArray, FIX.aNull] } },
        sort: { _id: 1 },
        expect: [FIX.xArray, FIX.aNull],
      },
    ];
    for (const c of cases) {
      const [a, b, r] = await Promise.all([
        attempt(() => findDocs(pushdown.db, c)),
        attempt(() => findDocs(reference.db, c)),
        attempt(() => referenceRead(c)),
      ]);
      const where = describeCase(c);
      if (!a.ok || !b.ok || !r.ok)
        throw new Error(
          `${where}\n  pushdown: ${outcomeKey(a)}\n  reference find: ${outcomeKey(b)}\n  reference pipeline: ${outcomeKey(r)}`,
        );
      expect({ where, docs: canon(c.sort ? a.value : multiset(a.value)) }).toEqual({
        where,
        docs: canon(c.sort ? r.value : multiset(r.value)),
      });
      expect({ where, docs: canon(c.sort ? b.value : multiset(b.value)) }).toEqual({
        where,
        docs: canon(c.sort ? r.value : multiset(r.value)),
      });
      const found = ids(a.value);
      const wanted = c.expect.map(String);
      expect({ where, found }).toEqual({ where, found: c.sort ? wanted : expect.arrayContaining(wanted) });
    }

    // The build under test pushes down (at least `_id`); the reference pipeline pushes nothing down.
    const idCase = { coll: 'trap_oid', filter: { _id: FIX.xScalar } };
    expect(((await pushdown.db.collection('trap_oid').find(idCase.filter).explain()) as PlanFlags).filterPushdown).toBe(
      true,
    );
    expect(await referencePlan(idCase)).toMatchObject({
      filterPushdown: false,
      sortPushdown: false,
      limitPushdown: false,
    });
    expect(await referencePlan({ ...idCase, sort: { _id: -1 }, limit: 1 })).toMatchObject({
      filterPushdown: false,
      sortPushdown: false,
      limitPushdown: false,
    });
    expect(await reference.db.command({ explain: { count: 'trap_oid', query: idCase.filter } })).toMatchObject({
      filterPushdown: false,
    });

    // The product's member inbox finds tickets on both.
    const inbox = {
      coll: 'tickets',
      filter: {
        $or: [
          { $and: [{ studioId: { $in: STUDIOS.slice(0, 2) } }, { contentCheck: 'pass' }, { status: 'assigned' }] },
          { $and: [{ assigneeId: MEMBERS[0] }, { contentCheck: 'pass' }, { status: 'assigned' }] },
        ],
      },
      sort: { _id: -1 } as SortSpec,
      limit: 21,
    };
    const [a, r] = await Promise.all([
      attempt(() => findDocs(pushdown.db, inbox)),
      attempt(() => referenceRead(inbox)),
    ]);
    expect(a.ok && a.value.length).toBeGreaterThan(0);
    expect(outcomeKey(a)).toBe(outcomeKey(r));
  });

  /**
   * Throws unless `got` (a read on `label`) is the reference's answer `ref`. Without a sort but with a
   * skip or limit, which documents fill the window depends on natural order, which may differ: then
   * the unwindowed answers must be equal as multisets and the window must have the right size and
   * hold only matching documents.
   */
  async function expectSameRead(
    where: string,
    label: string,
    c: FindCase,
    got: Outcome<Doc[]>,
    ref: Outcome<Doc[]>,
    unwindowed: () => Promise<Outcome<Doc[]>>,
  ): Promise<void> {
    const fail = (what: string, x: Outcome<Doc[]>, y: Outcome<Doc[]>) =>
      new Error(
        `${label} differs from the reference (${what})\n${where}\n${x.ok && y.ok ? describeDifference(x.value, y.value) : ''}  ${label}: ${x.ok ? show(x.value) : x.error}\n  reference (no pushdown): ${y.ok ? show(y.value) : y.error}`,
      );
    if (!got.ok || !ref.ok) {
      if (!got.ok && !ref.ok && got.error === ref.error) return;
      throw fail('error', got, ref);
    }
    if (c.sort) {
      if (canon(got.value) !== canon(ref.value)) throw fail('sorted: same documents in the same order', got, ref);
    } else if (c.skip === undefined && c.limit === undefined) {
      if (canon(multiset(got.value)) !== canon(multiset(ref.value))) throw fail('unsorted: same documents', got, ref);
    } else {
      const [fullGot, fullRef] = await Promise.all([unwindowed(), attempt(() => referenceRead(c, false))]);
      if (!fullGot.ok || !fullRef.ok || canon(multiset(fullGot.value)) !== canon(multiset(fullRef.value)))
        throw fail('without its skip/limit: same documents', fullGot, fullRef);
      const size = windowSize(fullRef.value.length, c.skip, c.limit);
      if (got.value.length !== size || !isSubMultiset(multiset(got.value), multiset(fullRef.value))) {
        throw fail(
          `unsorted window: ${got.value.length} documents, expected ${size} of the ${fullRef.value.length} matches`,
          got,
          fullRef,
        );
      }
    }
  }

  it(
    'random finds, counts, aggregates and distincts: identical on both',
    async () => {
      const arb = fc.oneof(
        { weight: 3, arbitrary: genericCaseArb(spec('trap_oid')) },
        { weight: 3, arbitrary: genericCaseArb(spec('trap_mixed')) },
        { weight: 2, arbitrary: genericCaseArb(spec('tickets')) },
        { weight: 2, arbitrary: productCaseArb(spec('tickets')) },
      );
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(arb, async (c) => {
          stats.finds++;
          stats.shapes[c.shape] = (stats.shapes[c.shape] ?? 0) + 1;
          const where = describeCase(c);
          const coll = (db: Db) => db.collection(c.coll);

          // (find on the reference instance is not compared here: it pushes down exactly as the pushdown
          // instance's find does, see REFERENCE_ARGS.)
          const [a, r] = await Promise.all([attempt(() => findDocs(pushdown.db, c)), attempt(() => referenceRead(c))]);
          await expectSameRead(where, 'find with pushdown', c, a, r, () =>
            attempt(() => findDocs(pushdown.db, c, false)),
          );
          if (r.ok && r.value.length > 0) stats.nonEmpty++;
          if (!r.ok) stats.errors++;

          const fail = (what: string, x: Outcome<unknown>, y: Outcome<unknown>) =>
            new Error(
              `${what} differs with pushdown\n${where}\n  pushdown: ${x.ok ? show(x.value) : x.error}\n  reference (no pushdown): ${y.ok ? show(y.value) : y.error}`,
            );
          if (c.extra === 'count') {
            // count honours --test-disable-pushdown: the reference instance's own count is the reference.
            const window = {
              ...(c.skip !== undefined ? { skip: c.skip } : {}),
              ...(c.limit !== undefined ? { limit: c.limit } : {}),
            };
            const [ca, cb] = await both((db) => coll(db).countDocuments(c.filter, window));
            const [na, nb] = await both(
              async (db) => (await db.command({ count: c.coll, query: c.filter, ...window })).n as unknown,
            );
            if (outcomeKey(ca) !== outcomeKey(cb)) throw fail('countDocuments', ca, cb);
            if (outcomeKey(na) !== outcomeKey(nb)) throw fail('count command', na, nb);
          } else if (c.extra === 'aggregate') {
            // The pushdown instance pushes a leading $match (and $sort) down on its own path.
            const pipeline = referencePipeline(c, c.sort !== undefined).slice(1);
            const ga = await attempt(() => coll(pushdown.db).aggregate(pipeline, RAW).toArray());
            await expectSameRead(
              `${where}\n  pipeline: ${show(pipeline)}`,
              'aggregate with pushdown',
              { ...c, ...(c.sort ? {} : { skip: undefined, limit: undefined }) },
              ga,
              c.sort ? r : await attempt(() => referenceRead(c, false)),
              () => Promise.resolve(ga),
            );
          } else {
            const [da, db_] = await both((db) => coll(db).distinct(c.distinct, c.filter));
            if (outcomeKey(da, (v) => multiset(v as unknown[])) !== outcomeKey(db_, (v) => multiset(v as unknown[])))
              throw fail(`distinct ${c.distinct}`, da, db_);
          }

          const [plan, refPlan] = await Promise.all([
            attempt(async () => {
              let cursor = coll(pushdown.db).find(c.filter);
              if (c.sort) cursor = cursor.sort(c.sort);
              if (c.skip !== undefined) cursor = cursor.skip(c.skip);
              if (c.limit !== undefined) cursor = cursor.limit(c.limit);
              return (await cursor.explain()) as PlanFlags;
            }),
            attempt(() => referencePlan(c)),
          ]);
          if (
            refPlan.ok &&
            (refPlan.value.filterPushdown || refPlan.value.sortPushdown || refPlan.value.limitPushdown)
          ) {
            throw new Error(
              `the reference pipeline was pushed down: it is no reference any more\n${where}\n  explain: ${show(refPlan.value)}`,
            );
          }
          if (plan.ok) {
            if (plan.value.filterPushdown) stats.filterPushdown++;
            if (plan.value.sortPushdown) stats.sortPushdown++;
            if (plan.value.limitPushdown) stats.limitPushdown++;
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      console.log(
        `pushdown-diff finds: build [${build}], seed ${SEED}, ${RUNS} cases (${JSON.stringify(stats.shapes)}) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `${stats.nonEmpty} returned at least one document, ${stats.errors} were refused by both; explain on the pushdown instance: ` +
          `filter pushed down in ${stats.filterPushdown}, sort in ${stats.sortPushdown}, limit in ${stats.limitPushdown}. Reproduce: PUSHDOWN_DIFF_SEED=${SEED} PUSHDOWN_DIFF_RUNS=${RUNS}`,
      );
      expect(stats.nonEmpty).toBeGreaterThan(RUNS / 4);
    },
    Math.max(120_000, RUNS * 400),
  );

  it(
    'random updateMany, deleteMany, findOneAndUpdate/Delete with sort: same effects on both',
    async () => {
      type WriteOp = 'updateMany' | 'deleteMany' | 'findOneAndUpdate' | 'findOneAndDelete';
      const writeArb = (s: CollectionSpec) =>
        fc
          .record({
            op: fc.constantFrom<WriteOp>('updateMany', 'deleteMany', 'findOneAndUpdate', 'findOneAndDelete'),
            filter: filterArb(s),
            // findOneAnd* takes the first by sort: a total order (ends in _id), so the pick is defined.
            sort: fc.constantFrom(...s.sorts.filter((x): x is SortSpec => x !== undefined)),
            after: fc.boolean(),
          })
          .map((w) => ({ ...w, spec: s }));
      const arb = fc.oneof(
        writeArb(spec('trap_oid')),
        writeArb(spec('trap_mixed')),
        writeArb(spec('tickets')),
        productCaseArb(spec('tickets')).map((p) => ({
          op: 'findOneAndUpdate' as WriteOp,
          filter: p.filter,
          sort: p.sort!,
          after: true,
          spec: spec('tickets'),
        })),
      );
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(arb, async (w) => {
          stats.writes++;
          const name = `${w.spec.name}_w`;
          if (!clean.has(name)) await Promise.all([load(pushdown.db, w.spec, name), load(reference.db, w.spec, name)]);
          clean.delete(name);
          const where = `${w.op} on ${name}\n  filter: ${show(w.filter)}\n  sort: ${w.op.startsWith('findOneAnd') ? canon(w.sort) : 'none'}${w.op === 'findOneAndUpdate' ? `  returnDocument: ${w.after ? 'after' : 'before'}` : ''}`;
          const fail = (what: string, a: Outcome<unknown>, b: Outcome<unknown>) =>
            new Error(
              `${what} differs with pushdown\n${where}\n${a.ok && b.ok && Array.isArray(a.value) && Array.isArray(b.value) ? describeDifference(a.value as Doc[], b.value as Doc[]) : ''}` +
                `  pushdown: ${a.ok ? show(a.value) : a.error}\n  reference (no pushdown): ${b.ok ? show(b.value) : b.error}`,
            );
          const update = { $set: { marker: 'written' }, $unset: { u: '' } };
          const [a, b] = await both(async (db) => {
            const coll = db.collection(name);
            switch (w.op) {
              case 'updateMany': {
                const r = await coll.updateMany(w.filter, update);
                return { matched: r.matchedCount, modified: r.modifiedCount };
              }
              case 'deleteMany':
                return { deleted: (await coll.deleteMany(w.filter)).deletedCount };
              case 'findOneAndUpdate':
                return {
                  doc: await coll.findOneAndUpdate(w.filter, update, {
                    sort: w.sort,
                    returnDocument: w.after ? 'after' : 'before',
                    ...RAW,
                  }),
                };
              case 'findOneAndDelete':
                return { doc: await coll.findOneAndDelete(w.filter, { sort: w.sort, ...RAW }) };
            }
          });
          if (outcomeKey(a) !== outcomeKey(b)) throw fail('result', a, b);
          const [ca, cb] = await both((db) => db.collection(name).find({}, RAW).toArray());
          if (!ca.ok || !cb.ok || canon(multiset(ca.value)) !== canon(multiset(cb.value)))
            throw fail('collection contents afterwards', ca, cb);
          if (canon(multiset(cb.value)) === pristine.get(name)) clean.add(name);
          else stats.writesChanged++;
        }),
        { seed: SEED + 1, numRuns: WRITE_RUNS },
      );
      console.log(
        `pushdown-diff writes: seed ${SEED + 1}, ${WRITE_RUNS} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; ${stats.writesChanged} changed the collection (identically on both)`,
      );
      expect(stats.writesChanged).toBeGreaterThan(WRITE_RUNS / 4);
    },
    Math.max(120_000, WRITE_RUNS * 800),
  );
});
