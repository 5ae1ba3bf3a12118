import { DEMO_START, DEMO_USAGE_TIMELINE, DemoFigures, HISTORY_START } from '../../../dev/demo/history';
import { type FixtureOrg, loadFixture, UsageTimeline, usageResponse } from '../../../dev/emulator';
import { detectAnomalies } from '../../../src/anomalies/detect';
import { toUsageReport } from '../../../src/billing/convert';
import { snapshotOf, type UsageSnapshot } from '../../../src/digest/snapshots';

/**
 * The demo's calendar and planted spike, sized against the app's own rules without running the app:
 * the hourly snapshots the app would take are made from the emulator's answers, and the app's anomaly
 * detector is asked about them hour by hour.
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Acme's minute of the hour in the demo workspace, where its checks happen (src/alerts/check-times.ts). */
const CHECK_MINUTE_MS = 17 * 60 * 1000;

function firstOrg(): FixtureOrg {
  const org = loadFixture().orgs[0];
  if (!org) throw new Error('the fixture has no org');
  return org;
}

const acme = firstOrg();
const timeline = new UsageTimeline(loadFixture(), DEMO_USAGE_TIMELINE);

/** The snapshot an hourly check at `at` would record. */
function snapshotAt(at: Date): UsageSnapshot {
  const message = usageResponse(acme, at, timeline.usageAt(acme, at));
  return snapshotOf(toUsageReport(acme.orgId, message, at), at, 'hourly');
}

/** Anomalies the app would find at each hourly check from `from` to `until`, by the check's ISO time. */
function anomaliesByHour(from: Date, until: Date): Map<string, string[]> {
  const history: UsageSnapshot[] = [];
  for (let at = from.getTime() - 10 * DAY_MS; at < from.getTime(); at += HOUR_MS)
    history.push(snapshotAt(new Date(at)));
  const found = new Map<string, string[]>();
  for (let at = from.getTime(); at <= until.getTime(); at += HOUR_MS) {
    const now = new Date(at);
    history.push(snapshotAt(now));
    const keys = detectAnomalies({ history: history.slice(-9 * 24), now }).map((anomaly) => anomaly.key);
    if (keys.length > 0) found.set(now.toISOString(), keys);
  }
  return found;
}

describe('the demo’s history', () => {
  it('starts two months before the demo, before all of the previous period', () => {
    expect(HISTORY_START.toISOString()).toBe('2026-09-27T15:00:00.000Z');
    expect(HISTORY_START.getTime()).toBeLessThan(Date.parse('2026-10-01T00:00:00Z'));
  });

  it('reads at the demo’s start exactly as the README’s overview does', () => {
    expect(new DemoFigures().subtotalAt(DEMO_START)).toBe(290.23);
  });

  it('grows from last month to this one: last month at the same point was lower', () => {
    const figures = new DemoFigures();
    const sameDayLastMonth = figures.subtotalAt(new Date('2026-10-26T15:00:00Z'));
    expect(sameDayLastMonth).toBeGreaterThan(150);
    expect(sameDayLastMonth).toBeLessThan(290.23 * 0.9);
  });
});

describe('the planted spike', () => {
  const spikeCheck = new Date(DEMO_START.getTime() + CHECK_MINUTE_MS);

  it('trips the app’s anomaly rule on exactly one line at the first check of the demo', () => {
    const found = anomaliesByHour(spikeCheck, spikeCheck);
    expect(found.get(spikeCheck.toISOString())).toEqual(['line:standard_compute']);
  });

  it('trips nothing in the week before the spike day', () => {
    const weekBefore = new Date(Date.parse('2026-11-19T00:00:00Z') + CHECK_MINUTE_MS);
    const lastBefore = new Date(Date.parse('2026-11-25T23:00:00Z') + CHECK_MINUTE_MS);
    expect(anomaliesByHour(weekBefore, lastBefore)).toEqual(new Map());
  });

  it('gives the line about $32 in the last 24 hours at that check', () => {
    const figures = new DemoFigures();
    const lastDay =
      figures.lineCostAt('STANDARD_COMPUTE', spikeCheck) -
      figures.lineCostAt('STANDARD_COMPUTE', new Date(spikeCheck.getTime() - DAY_MS));
    expect(lastDay).toBeGreaterThan(20);
    expect(lastDay).toBeCloseTo(32, 0);
  });
});
