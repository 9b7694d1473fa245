import { ConfigError, loadConfig } from '../src/config';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/x', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('studio operations configuration', () => {
  it('has working defaults', () => {
    const { operations } = loadConfig(valid);
    expect(operations).toMatchObject({
      studioCodePage: 'pages/index/index',
      stars: {
        cron: '30 2 * * *',
        windowDays: 90,
        weights: { response: 0.3, resolution: 0.3, satisfaction: 0.3, volume: 0.1 },
        thresholds: [0.4, 0.6, 0.75, 0.9],
        volumeTarget: 30,
        minTickets: 5,
      },
      followUp: { afterSeconds: 30 * 86400 },
    });
  });

  it('reads weights and thresholds from the environment', () => {
    const { operations } = loadConfig({
      ...valid,
      STAR_WEIGHTS: 'response:0.5,volume:0',
      STAR_THRESHOLDS: '0.2,0.4,0.6,0.8',
      STAR_CRON: '0 3 * * 1',
    });
    expect(operations.stars.weights).toEqual({ response: 0.5, resolution: 0.3, satisfaction: 0.3, volume: 0 });
    expect(operations.stars.thresholds).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(operations.stars.cron).toBe('0 3 * * 1');
  });

  it('names every bad value', () => {
    let error: unknown;
    try {
      loadConfig({
        ...valid,
        STAR_WEIGHTS: 'speed:1',
        STAR_THRESHOLDS: '0.9,0.5,0.6,0.7',
        STAR_CRON: 'nightly',
        STAR_WINDOW_DAYS: '0',
        WECHAT_STUDIO_CODE_PAGE: '/pages/x?y=1',
        FOLLOW_UP_AFTER_SECONDS: 'soon',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of [
      'STAR_WEIGHTS',
      'STAR_THRESHOLDS',
      'STAR_CRON',
      'STAR_WINDOW_DAYS',
      'WECHAT_STUDIO_CODE_PAGE',
      'FOLLOW_UP_AFTER_SECONDS',
    ])
      expect(message).toContain(name);
  });

  it('refuses star weights that are all 0', () => {
    const allZero = 'response:0,resolution:0,satisfaction:0,volume:0';
    expect(() => loadConfig({ ...valid, STAR_WEIGHTS: allZero })).toThrow(/STAR_WEIGHTS .*not all 0/);
  });
});
