/**
 * Settings of the studio-operations features (studio codes, statistics, star ratings, 回头看),
 * read by config.ts with the same rules: a bad value names its variable, all problems at once.
 */

export const STAR_METRICS = ['response', 'resolution', 'satisfaction', 'volume'] as const;
export type StarMetric = (typeof STAR_METRICS)[number];

export interface OperationsConfig {
  /** The mini-program page a studio code opens; it decodes `scene`. */
  studioCodePage: string;
  /** How long a generated mini-program code is kept in Redis (WeChat's codes never expire). */
  studioCodeCacheSeconds: number;
  /** A font with Chinese glyphs for posters; null: the first of the usual Debian paths found. */
  posterFontPath: string | null;
  stars: {
    /** BullMQ cron pattern of the nightly star job (China time). */
    cron: string;
    /** The trailing window the star is computed over, in days, ending yesterday. */
    windowDays: number;
    /** Weight of each normalized metric (0–1); they are divided by their sum. */
    weights: Record<StarMetric, number>;
    /** Score needed for 2, 3, 4 and 5 stars (ascending); below the first is 1 star. */
    thresholds: [number, number, number, number];
    /** Tickets in the window that count as full volume (volume score = min(1, tickets / target)). */
    volumeTarget: number;
    /** With fewer tickets than this in the window the star is not recomputed (kept as it is). */
    minTickets: number;
  };
  followUp: {
    /** 回头看: ask the resident this long after a ticket is resolved. */
    afterSeconds: number;
    /** How often the follow-up sweeper looks for follow-ups whose delayed job never ran. */
    sweepIntervalSeconds: number;
  };
}

type Env = Record<string, string | undefined>;

const DEFAULT_WEIGHTS: Record<StarMetric, number> = { response: 0.3, resolution: 0.3, satisfaction: 0.3, volume: 0.1 };
const DEFAULT_THRESHOLDS: [number, number, number, number] = [0.4, 0.6, 0.75, 0.9];

/** Reads an integer variable within bounds; a bad value is recorded in `problems`, naming the variable. */
export function integerReader(env: Env, problems: string[]) {
  return (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
}

export function loadOperationsConfig(env: Env, problems: string[]): OperationsConfig {
  const integer = integerReader(env, problems);

  const page = env.WECHAT_STUDIO_CODE_PAGE?.trim() || 'pages/index/index';
  if (!/^[A-Za-z0-9_\-/]{1,128}$/.test(page) || page.startsWith('/')) problems.push(`WECHAT_STUDIO_CODE_PAGE must be a page path like pages/index/index (got "${page}")`);

  const cron = env.STAR_CRON?.trim() || '30 2 * * *';
  const cronFields = cron.split(/\s+/);
  if (cronFields.length < 5 || cronFields.length > 6 || !cronFields.every((f) => /^[0-9*/,\-?LW#A-Za-z]+$/.test(f))) problems.push(`STAR_CRON must be a cron pattern of 5 or 6 fields (got "${cron}")`);

  const weights = { ...DEFAULT_WEIGHTS };
  const rawWeights = env.STAR_WEIGHTS?.trim();
  if (rawWeights) {
    for (const part of rawWeights.split(',')) {
      const [key, value] = part.split(':').map((s) => s.trim());
      const weight = Number(value);
      if (!STAR_METRICS.includes(key as StarMetric) || value === undefined || !Number.isFinite(weight) || weight < 0) {
        problems.push(`STAR_WEIGHTS must look like response:0.3,resolution:0.3,satisfaction:0.3,volume:0.1 (got "${rawWeights}")`);
        break;
      }
      weights[key as StarMetric] = weight;
    }
    if (STAR_METRICS.every((m) => weights[m] === 0)) problems.push('STAR_WEIGHTS must not all be 0');
  }

  let thresholds = DEFAULT_THRESHOLDS;
  const rawThresholds = env.STAR_THRESHOLDS?.trim();
  if (rawThresholds) {
    const values = rawThresholds.split(',').map((s) => Number(s.trim()));
    const ascending = values.every((v, i) => Number.isFinite(v) && v >= 0 && v <= 1 && (i === 0 || v > values[i - 1]!));
    if (values.length !== 4 || !ascending) problems.push(`STAR_THRESHOLDS must be four ascending scores between 0 and 1 for 2–5 stars (got "${rawThresholds}")`);
    else thresholds = values as [number, number, number, number];
  }

  return {
    studioCodePage: page,
    studioCodeCacheSeconds: integer('STUDIO_CODE_CACHE_SECONDS', 30 * 86400, 60, 365 * 86400),
    posterFontPath: env.POSTER_FONT_PATH?.trim() || null,
    stars: {
      cron,
      windowDays: integer('STAR_WINDOW_DAYS', 90, 1, 730),
      weights,
      thresholds,
      volumeTarget: integer('STAR_VOLUME_TARGET', 30, 1, 1_000_000),
      minTickets: integer('STAR_MIN_TICKETS', 5, 0, 1_000_000),
    },
    followUp: {
      afterSeconds: integer('FOLLOW_UP_AFTER_SECONDS', 30 * 86400, 1, 365 * 86400),
      sweepIntervalSeconds: integer('FOLLOW_UP_SWEEP_INTERVAL_SECONDS', 600, 1, 86400),
    },
  };
}
