import { Cron } from 'croner';
import { loadConfig } from '../../src/config';
import { checkIntervalPattern } from '../../src/digest/scheduler';

/** DIGEST_CHECK_INTERVAL_SECONDS: what lets the replica test tick every second instead of every minute. */
describe('digest check interval', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };

  it('defaults to a minute and accepts divisors of 60', () => {
    expect(loadConfig(base).digest.checkIntervalSeconds).toBe(60);
    expect(loadConfig({ ...base, DIGEST_CHECK_INTERVAL_SECONDS: '1' }).digest.checkIntervalSeconds).toBe(1);
    expect(loadConfig({ ...base, DIGEST_CHECK_INTERVAL_SECONDS: '15' }).digest.checkIntervalSeconds).toBe(15);
  });

  it('refuses values that would space the checks unevenly, naming the variable', () => {
    for (const value of ['0', '7', '90', 'often']) {
      expect(() => loadConfig({ ...base, DIGEST_CHECK_INTERVAL_SECONDS: value })).toThrow(
        /DIGEST_CHECK_INTERVAL_SECONDS must be a number of seconds that divides 60/,
      );
    }
  });

  it('becomes a croner pattern firing at that spacing', () => {
    const runs = (seconds: number) =>
      new Cron(checkIntervalPattern(seconds), { paused: true })
        .nextRuns(3, new Date('2026-05-01T09:00:00.500Z'))
        .map((at) => at.toISOString());
    expect(runs(1)).toEqual(['2026-05-01T09:00:01.000Z', '2026-05-01T09:00:02.000Z', '2026-05-01T09:00:03.000Z']);
    expect(runs(15)).toEqual(['2026-05-01T09:00:15.000Z', '2026-05-01T09:00:30.000Z', '2026-05-01T09:00:45.000Z']);
    expect(runs(60)).toEqual(['2026-05-01T09:01:00.000Z', '2026-05-01T09:02:00.000Z', '2026-05-01T09:03:00.000Z']);
    expect(() => checkIntervalPattern(7)).toThrow(RangeError);
  });
});
