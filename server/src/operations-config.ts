import { Type } from '@sinclair/typebox';
import { integer, keyed, setting } from './env-settings';

export const STAR_METRICS = ['response', 'resolution', 'satisfaction', 'volume'] as const;
export type StarMetric = (typeof STAR_METRICS)[number];

const score = Type.Number({ minimum: 0, maximum: 1 });
const CRON_FIELD = '[0-9*/,?LW#A-Za-z-]+';

/** Settings of the studio-operations features (studio codes, statistics, star ratings, 回头看), in config.ts. */
export const OperationsConfigSchema = Type.Object({
  studioCodePage: setting(Type.String({ pattern: '^(?!/)[A-Za-z0-9_/-]{1,128}$' }), {
    env: 'WECHAT_STUDIO_CODE_PAGE',
    default: 'pages/index/index',
    description: 'The mini-program page a studio code opens; it decodes `scene`.',
    rule: 'must be a page path like pages/index/index',
  }),
  studioCodeCacheSeconds: integer(
    'STUDIO_CODE_CACHE_SECONDS',
    30 * 86400,
    60,
    365 * 86400,
    "How long a generated mini-program code is kept in Redis (WeChat's codes never expire).",
  ),
  posterFontPath: setting(Type.Union([Type.String(), Type.Null()]), {
    env: 'POSTER_FONT_PATH',
    default: null,
    description: 'A font with Chinese glyphs for posters; null: the first of the usual Debian paths found.',
  }),
  stars: Type.Object({
    cron: setting(Type.String({ pattern: `^${CRON_FIELD}(\\s+${CRON_FIELD}){4,5}$` }), {
      env: 'STAR_CRON',
      default: '30 2 * * *',
      description: 'BullMQ cron pattern of the nightly star job (China time).',
      rule: 'must be a cron pattern of 5 or 6 fields',
    }),
    windowDays: integer(
      'STAR_WINDOW_DAYS',
      90,
      1,
      730,
      'The trailing window the star is computed over, in days, ending yesterday.',
    ),
    weights: setting(
      keyed(STAR_METRICS, () => Type.Number({ minimum: 0 })),
      {
        env: 'STAR_WEIGHTS',
        default: { response: 0.3, resolution: 0.3, satisfaction: 0.3, volume: 0.1 },
        description: 'Weight of each normalized metric; they are divided by their sum. Unnamed metrics keep theirs.',
        rule: 'must look like response:0.3,resolution:0.3,satisfaction:0.3,volume:0.1, weights ≥ 0 and not all 0',
        check: (weights) => STAR_METRICS.some((metric) => weights[metric] > 0),
      },
    ),
    thresholds: setting(Type.Tuple([score, score, score, score]), {
      env: 'STAR_THRESHOLDS',
      default: [0.4, 0.6, 0.75, 0.9],
      description: 'Score needed for 2, 3, 4 and 5 stars; below the first is 1 star.',
      rule: 'must be four ascending scores between 0 and 1 for 2–5 stars',
      check: (thresholds) => thresholds.every((value, i) => i === 0 || value > thresholds[i - 1]!),
    }),
    volumeTarget: integer(
      'STAR_VOLUME_TARGET',
      30,
      1,
      1_000_000,
      'Tickets in the window that count as full volume (volume score = min(1, tickets / target)).',
    ),
    minTickets: integer(
      'STAR_MIN_TICKETS',
      5,
      0,
      1_000_000,
      'With fewer tickets than this in the window the star is not recomputed (kept as it is).',
    ),
  }),
  followUp: Type.Object({
    afterSeconds: integer(
      'FOLLOW_UP_AFTER_SECONDS',
      30 * 86400,
      1,
      365 * 86400,
      '回头看: ask the resident this long after a ticket is resolved.',
    ),
    sweepIntervalSeconds: integer(
      'FOLLOW_UP_SWEEP_INTERVAL_SECONDS',
      600,
      1,
      86400,
      'How often the follow-up sweeper looks for follow-ups whose delayed job never ran.',
    ),
  }),
  infoWait: Type.Object({
    closeAfterSeconds: integer(
      'INFO_WAIT_CLOSE_AFTER_SECONDS',
      7 * 86400,
      1,
      90 * 86400,
      '待补充: a ticket waiting this long for the information its studio asked of the resident is closed as 未补充.',
    ),
    sweepIntervalSeconds: integer(
      'INFO_WAIT_SWEEP_INTERVAL_SECONDS',
      600,
      1,
      86400,
      'How often the worker closes tickets whose wait for the resident has run out.',
    ),
  }),
});
