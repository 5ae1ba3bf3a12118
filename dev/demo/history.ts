/**
 * The demo's calendar and the usage behind it. Acme's org was connected two months before the demo
 * starts, and its usage grows hour by hour along the emulator's usage timeline (dev/emulator/
 * usage-timeline.ts): at the demo's start its month to date is exactly the fixture's, so the overview
 * reads as the README shows it, and on the demo's day one cost line jumps, which the app should
 * notice as unusual spend.
 */
import { loadFixture, UsageTimeline, type UsageTimelineOptions, usageResponse } from '../emulator';
import type { FixtureOrg } from '../emulator/fixture';

/**
 * The demo's clock starts here, on a Thursday afternoon in late November: the month is well under way,
 * the latest invoice is overdue, and Monday's digest is four days off. A fixed start makes every run
 * show the same figures.
 */
export const DEMO_START = new Date('2026-11-26T15:00:00Z');

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long the app has watched Acme's org: all of October (last period) and more, a full chart of it. */
export const HISTORY_DAYS = 60;
export const HISTORY_START = new Date(DEMO_START.getTime() - HISTORY_DAYS * DAY_MS);

/**
 * A runaway job on the demo's day: standard compute costs $48 more than usual over the day, $2 an
 * hour. By the first check after the budget is set (mid-afternoon, about $30 of it metered) its
 * last 24 hours are well over the app's anomaly bars (at least $20 and 50% above its usual day,
 * src/anomalies/detect.ts), while no other line or category comes near the $20 floor.
 */
export const DEMO_SPIKE = { costType: 'STANDARD_COMPUTE', day: DEMO_START, extraUsd: 48 } as const;

export const DEMO_USAGE_TIMELINE: UsageTimelineOptions = { anchor: DEMO_START, spike: DEMO_SPIKE };

/**
 * What the emulator reports for the demo org at any instant, worked out from the same fixture and
 * timeline without asking it, so a step can check the app's figures against the source of truth.
 */
export class DemoFigures {
  private readonly timeline: UsageTimeline;
  private readonly org: FixtureOrg;

  constructor(options: UsageTimelineOptions = DEMO_USAGE_TIMELINE) {
    const fixture = loadFixture();
    const org = fixture.orgs[0];
    if (!org) throw new Error('the emulator fixture has no org');
    this.org = org;
    this.timeline = new UsageTimeline(fixture, options);
  }

  /** The demo org's month-to-date subtotal at `at`, as GetCurrentMonthUsage answers it. */
  subtotalAt(at: Date): number {
    return usageResponse(this.org, at, this.timeline.usageAt(this.org, at)).subtotal;
  }

  /** Month to date of one cost type (a fixture name like `STANDARD_COMPUTE`) over all of the org's sources. */
  lineCostAt(costType: string, at: Date): number {
    const cents = this.timeline
      .usageAt(this.org, at)
      .flatMap((source) => source.costs)
      .filter((line) => line.type === costType)
      .reduce((sum, line) => sum + Math.round(line.cost * 100), 0);
    return cents / 100;
  }
}
