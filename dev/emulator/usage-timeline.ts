import { type AccrualShape, accruedDays, hoursMeteredOn, shapeOfCostType } from './accrual';
import { utcMidnight, utcMonthStart } from './calendar';
import type { EmulatorFixture, FixtureOrg, FixtureUsageSource } from './fixture';

/**
 * Month-to-date usage that grows with the emulator's clock, for demos that need a history: the app
 * snapshots usage every hour, and only figures that move give its charts, comparisons and anomaly
 * alerts something to show.
 *
 * The fixture's figures stay the truth at one instant, the anchor: each line's daily rate is whatever
 * makes it reach its fixture cost by then (after its weekday shape and any planted spike), so at the
 * anchor every command shows exactly what the static fixture shows. From each UTC month's first
 * instant a line accrues hour by hour at that rate. Months before the anchor's are scaled so that
 * each month's total is the fixture's invoice for it, so the usage history and the invoices tell one
 * story; a month without an invoice, or any later month, runs at the anchor month's rates.
 */

export interface PlantedSpike {
  /** The org whose line jumps; default the fixture's first org. */
  orgId?: string;
  /** A cost type the org's usage lists (its first source that has it), e.g. `STANDARD_COMPUTE`. */
  costType: string;
  /** Any instant of the UTC day the line jumps on. */
  day: Date;
  /** Dollars the line costs on that day on top of its usual spend, accrued evenly over the day's hours. */
  extraUsd: number;
}

export interface UsageTimelineOptions {
  /** The instant at which every org's month-to-date is exactly the fixture's; at least an hour into its month. */
  anchor: Date;
  spike?: PlantedSpike;
}

interface LinePlan {
  type: string;
  shape: AccrualShape;
  /** Dollars an average day of the anchor's month costs, without the spike. */
  perDay: number;
  spike?: { dayStartMs: number; extraUsd: number };
}

interface SourcePlan {
  fixture: FixtureUsageSource;
  lines: LinePlan[];
  /** The source's lines at the anchor, in cents: what its discount is a share of. */
  anchorCents: number;
}

interface OrgPlan {
  org: FixtureOrg;
  sources: SourcePlan[];
  /** Scale of each month before the anchor's, by its first instant; filled on first use. */
  monthScales: Map<number, number>;
}

const HOUR_MS = 60 * 60 * 1000;
const cents = (dollars: number): number => Math.round(dollars * 100);

export class UsageTimeline {
  private readonly anchor: Date;
  private readonly anchorMonth: Date;
  private readonly plans = new Map<string, OrgPlan>();

  constructor(fixture: EmulatorFixture, options: UsageTimelineOptions) {
    this.anchor = options.anchor;
    this.anchorMonth = utcMonthStart(options.anchor);
    if (!Number.isFinite(this.anchor.getTime())) throw new RangeError('the usage timeline needs a valid anchor');
    if (this.anchor.getTime() - this.anchorMonth.getTime() < HOUR_MS) {
      throw new RangeError('the usage timeline anchor must be at least an hour into its month');
    }
    const spike = options.spike;
    const spikedOrgId = spike ? (spike.orgId ?? fixture.orgs[0]?.orgId) : undefined;
    if (spike) checkSpike(fixture, spike, spikedOrgId);
    for (const org of fixture.orgs) {
      this.plans.set(org.orgId, this.planOrg(org, org.orgId === spikedOrgId ? spike : undefined));
    }
  }

  /** The org's usage sources as Viam would report them at `now`: costs and discount to the cent. */
  usageAt(org: FixtureOrg, now: Date): FixtureUsageSource[] {
    const plan = this.plans.get(org.orgId);
    if (!plan) return org.usage;
    const monthStart = utcMonthStart(now);
    const scale = this.monthScale(plan, monthStart);
    return plan.sources.map((source) => {
      const costs = source.lines.map((line) => ({
        type: line.type,
        cost: cents(lineSpend(line, monthStart, now, scale)) / 100,
      }));
      const linesCents = costs.reduce((sum, line) => sum + cents(line.cost), 0);
      // The discount is a share of the lines, so it too starts at zero and never exceeds them.
      const discountCents =
        source.anchorCents > 0
          ? Math.min(linesCents, Math.round((cents(source.fixture.discount) * linesCents) / source.anchorCents))
          : 0;
      return { ...source.fixture, discount: discountCents / 100, costs };
    });
  }

  private planOrg(org: FixtureOrg, spike: PlantedSpike | undefined): OrgPlan {
    let spikePlaced = false;
    const sources = org.usage.map((source): SourcePlan => {
      const lines = source.costs.map((line): LinePlan => {
        const shape = shapeOfCostType(line.type);
        const spiked = spike && !spikePlaced && line.type === spike.costType;
        if (spiked) spikePlaced = true;
        const planned: LinePlan = {
          type: line.type,
          shape,
          perDay: 0,
          ...(spiked ? { spike: { dayStartMs: utcMidnight(spike.day).getTime(), extraUsd: spike.extraUsd } } : {}),
        };
        const usual = line.cost - lineSpend({ ...planned, perDay: 0 }, this.anchorMonth, this.anchor, 1);
        if (usual < 0) {
          throw new RangeError(`the planted spike exceeds ${line.type}'s month to date at the anchor (${line.cost})`);
        }
        planned.perDay = usual / accruedDays(shape, this.anchorMonth, this.anchor);
        return planned;
      });
      return { fixture: source, lines, anchorCents: source.costs.reduce((sum, line) => sum + cents(line.cost), 0) };
    });
    return { org, sources, monthScales: new Map() };
  }

  /** 1 from the anchor's month on; before it, whatever makes the month's total its invoice's amount. */
  private monthScale(plan: OrgPlan, monthStart: Date): number {
    if (monthStart.getTime() >= this.anchorMonth.getTime()) return 1;
    const known = plan.monthScales.get(monthStart.getTime());
    if (known !== undefined) return known;
    const monthsAgo = monthsBetween(monthStart, this.anchorMonth);
    const invoice = plan.org.invoices.find((each) => each.monthsAgo === monthsAgo);
    const nextMonth = utcMonthStart(monthStart, 1);
    const total = plan.sources.reduce((sum, source) => {
      const lines = source.lines.reduce(
        (lineSum, line) => lineSum + line.perDay * accruedDays(line.shape, monthStart, nextMonth),
        0,
      );
      const kept = source.anchorCents > 0 ? 1 - cents(source.fixture.discount) / source.anchorCents : 1;
      return sum + lines * kept;
    }, 0);
    const scale = invoice && total > 0 ? invoice.amount / total : 1;
    plan.monthScales.set(monthStart.getTime(), scale);
    return scale;
  }
}

/** A line's month-to-date in dollars, unrounded: its usual spend, scaled, plus whatever of its spike is metered. */
function lineSpend(line: LinePlan, monthStart: Date, now: Date, scale: number): number {
  const usual = line.perDay * scale * accruedDays(line.shape, monthStart, now);
  const spike = line.spike;
  if (!spike || spike.dayStartMs < monthStart.getTime() || spike.dayStartMs >= utcMonthStart(monthStart, 1).getTime()) {
    return usual;
  }
  return usual + (spike.extraUsd * hoursMeteredOn(spike.dayStartMs, now)) / 24;
}

function checkSpike(fixture: EmulatorFixture, spike: PlantedSpike, orgId: string | undefined): void {
  const org = fixture.orgs.find((each) => each.orgId === orgId);
  if (!org) throw new RangeError(`the planted spike names an org the fixture lacks (${orgId})`);
  if (!org.usage.some((source) => source.costs.some((line) => line.type === spike.costType))) {
    throw new RangeError(`the planted spike names a cost line ${org.name} does not have (${spike.costType})`);
  }
  if (!Number.isFinite(spike.day.getTime())) throw new RangeError('the planted spike needs a valid day');
  if (!(spike.extraUsd > 0) || !Number.isFinite(spike.extraUsd)) {
    throw new RangeError('the planted spike must add a positive amount');
  }
}

/** Whole calendar months from `earlier` to `later`, both first instants of a month. */
function monthsBetween(earlier: Date, later: Date): number {
  return (later.getUTCFullYear() - earlier.getUTCFullYear()) * 12 + (later.getUTCMonth() - earlier.getUTCMonth());
}
