import { accruedDays, dayWeight, shapeOfCostType } from '../../../dev/emulator/accrual';
import { type EmulatorFixture, type FixtureUsageSource, loadFixture } from '../../../dev/emulator/fixture';
import { usageResponse } from '../../../dev/emulator/org-data';
import { type PlantedSpike, UsageTimeline } from '../../../dev/emulator/usage-timeline';

const HOUR_MS = 60 * 60 * 1000;
/** A Thursday afternoon, 25 days and 15 hours into November. */
const ANCHOR = new Date('2026-11-26T15:00:00Z');

const fixture = loadFixture();
const [acme, rivet] = fixture.orgs;
if (!acme || !rivet) throw new Error('the default fixture needs two orgs');

const at = (iso: string) => new Date(iso);
const plusHours = (date: Date, hours: number) => new Date(date.getTime() + hours * HOUR_MS);

function lineCost(usage: readonly FixtureUsageSource[], type: string, source: 'org' | 'fragment' = 'org'): number {
  const line = usage.find((each) => each.source === source)?.costs.find((each) => each.type === type);
  if (!line) throw new Error(`no ${type} line in the ${source} source`);
  return line.cost;
}

function subtotal(timeline: UsageTimeline, when: Date, org = acme): number {
  if (!org) throw new Error('no org');
  return usageResponse(org, when, timeline.usageAt(org, when)).subtotal;
}

describe('accrual', () => {
  it('keeps storage and standing fees steady and lets metered lines follow the working week', () => {
    expect(shapeOfCostType('BINARY_DATA_CLOUD_STORAGE')).toBe('steady');
    expect(shapeOfCostType('PER_MACHINE')).toBe('steady');
    expect(shapeOfCostType('STANDARD_COMPUTE')).toBe('workweek');
    expect(shapeOfCostType('BINARY_DATA_UPLOAD')).toBe('workweek');
    const saturday = Date.parse('2026-11-28T00:00:00Z');
    const monday = Date.parse('2026-11-30T00:00:00Z');
    expect(dayWeight('workweek', saturday)).toBeLessThan(dayWeight('workweek', monday));
    expect(dayWeight('steady', saturday)).toBe(dayWeight('steady', monday));
  });

  it('counts whole hours only, each as a share of its day', () => {
    const monthStart = at('2026-11-01T00:00:00Z');
    expect(accruedDays('steady', monthStart, at('2026-11-01T00:59:59Z'))).toBe(0);
    expect(accruedDays('steady', monthStart, at('2026-11-01T06:00:00Z'))).toBeCloseTo(0.25, 10);
    expect(accruedDays('steady', monthStart, at('2026-11-03T12:30:00Z'))).toBeCloseTo(2.5, 10);
    // Nov 1, 2026 is a Sunday: a weekend day's 24 hours are worth less than a Monday's.
    const sunday = accruedDays('workweek', monthStart, at('2026-11-02T00:00:00Z'));
    const monday = accruedDays('workweek', monthStart, at('2026-11-03T00:00:00Z')) - sunday;
    expect(sunday).toBeLessThan(monday);
  });
});

describe('a usage timeline', () => {
  const timeline = new UsageTimeline(fixture, { anchor: ANCHOR });

  it('reports exactly the fixture at the anchor, for every org', () => {
    for (const org of fixture.orgs) {
      expect(timeline.usageAt(org, ANCHOR)).toEqual(org.usage);
      expect(usageResponse(org, ANCHOR, timeline.usageAt(org, ANCHOR))).toEqual(usageResponse(org, ANCHOR));
    }
    // Metered by the hour: the rest of the anchor's hour reads the same.
    expect(timeline.usageAt(acme, plusHours(ANCHOR, 0.99))).toEqual(acme.usage);
  });

  it('starts every month at zero, discount included, and grows hour by hour', () => {
    const first = timeline.usageAt(acme, at('2026-11-01T00:45:00Z'));
    expect(first.flatMap((source) => source.costs).every((line) => line.cost === 0)).toBe(true);
    expect(first.every((source) => source.discount === 0)).toBe(true);

    let previous = -1;
    for (let when = at('2026-11-01T00:00:00Z'); when < at('2026-12-01T00:00:00Z'); when = plusHours(when, 1)) {
      const now = subtotal(timeline, when);
      expect(now).toBeGreaterThanOrEqual(previous);
      previous = now;
    }
    expect(subtotal(timeline, at('2026-11-10T12:00:00Z'))).toBeLessThan(subtotal(timeline, at('2026-11-10T13:00:00Z')));
  });

  it('never lets a discount exceed the lines it is taken from', () => {
    for (let when = at('2026-11-01T01:00:00Z'); when < at('2026-11-03T00:00:00Z'); when = plusHours(when, 1)) {
      for (const source of timeline.usageAt(acme, when)) {
        const lines = source.costs.reduce((sum, line) => sum + Math.round(line.cost * 100), 0);
        expect(Math.round(source.discount * 100)).toBeLessThanOrEqual(lines);
      }
    }
  });

  it('spends more on a weekday than at the weekend on metered lines, the same on storage', () => {
    const daySpend = (type: string, dayIso: string) => {
      const start = at(`${dayIso}T00:00:00Z`);
      return (
        lineCost(timeline.usageAt(acme, plusHours(start, 24)), type) - lineCost(timeline.usageAt(acme, start), type)
      );
    };
    // Saturday 14th and Tuesday 17th of November.
    expect(daySpend('STANDARD_COMPUTE', '2026-11-17')).toBeGreaterThan(
      daySpend('STANDARD_COMPUTE', '2026-11-14') * 1.5,
    );
    expect(daySpend('BINARY_DATA_CLOUD_STORAGE', '2026-11-17')).toBeCloseTo(
      daySpend('BINARY_DATA_CLOUD_STORAGE', '2026-11-14'),
      1,
    );
  });

  it('makes each earlier month add up to its invoice, as seen at the anchor', () => {
    // In a month's last hour everything but that hour is metered.
    const october = subtotal(timeline, at('2026-10-31T23:00:00Z'));
    const september = subtotal(timeline, at('2026-09-30T23:00:00Z'));
    const invoice = (monthsAgo: number) => acme.invoices.find((each) => each.monthsAgo === monthsAgo)?.amount ?? NaN;
    expect(october).toBeLessThanOrEqual(invoice(1));
    expect(october).toBeGreaterThan(invoice(1) - 1);
    expect(september).toBeLessThanOrEqual(invoice(2));
    expect(september).toBeGreaterThan(invoice(2) - 1);
    // Rivet's invoice of a year ago is free: its usage then was nothing.
    expect(subtotal(timeline, at('2025-11-20T00:00:00Z'), rivet)).toBe(0);
  });

  it('runs a month without an invoice, and months after the anchor, at the anchor month’s rates', () => {
    const uninvoiced = new UsageTimeline({ orgs: [{ ...acme, invoices: [] }] }, { anchor: ANCHOR });
    const tenDaysInto = (month: string, line = uninvoiced) => subtotal(line, at(`${month}-11T00:00:00Z`));
    const november = tenDaysInto('2026-11');
    // Ten days cost about ten average days whatever the month; the weekdays among them make the difference.
    expect(Math.abs(tenDaysInto('2026-10') - november) / november).toBeLessThan(0.1);
    expect(Math.abs(tenDaysInto('2027-01') - november) / november).toBeLessThan(0.1);
    // With its invoice October was cheaper: the org has grown since.
    expect(tenDaysInto('2026-10', timeline)).toBeLessThan(tenDaysInto('2026-10') * 0.95);
  });

  it('is the same figure for the same instant, however often it is asked', () => {
    const when = at('2026-10-17T09:30:00Z');
    expect(timeline.usageAt(acme, when)).toEqual(new UsageTimeline(fixture, { anchor: ANCHOR }).usageAt(acme, when));
  });
});

describe('a planted spike', () => {
  const spike: PlantedSpike = { costType: 'STANDARD_COMPUTE', day: ANCHOR, extraUsd: 48 };
  const timeline = new UsageTimeline(fixture, { anchor: ANCHOR, spike });
  const plain = new UsageTimeline(fixture, { anchor: ANCHOR });
  const compute = (line: UsageTimeline, when: Date) => lineCost(line.usageAt(acme, when), 'STANDARD_COMPUTE');
  const spend = (line: UsageTimeline, from: string, to: string) => compute(line, at(to)) - compute(line, at(from));

  it('still reports exactly the fixture at the anchor', () => {
    expect(timeline.usageAt(acme, ANCHOR)).toEqual(acme.usage);
  });

  it('adds its amount to one line over its day, hour by hour', () => {
    const usualDay = spend(timeline, '2026-11-25T00:00:00Z', '2026-11-26T00:00:00Z');
    const spikeDay = spend(timeline, '2026-11-26T00:00:00Z', '2026-11-27T00:00:00Z');
    // The day before looks like a weekday without the spike (the usual rate is lower to leave room for it).
    expect(usualDay).toBeGreaterThan(0);
    expect(usualDay).toBeLessThan(spend(plain, '2026-11-25T00:00:00Z', '2026-11-26T00:00:00Z'));
    expect(spikeDay - usualDay).toBeCloseTo(48, 1);
    expect(spend(timeline, '2026-11-26T10:00:00Z', '2026-11-26T11:00:00Z')).toBeCloseTo(2 + usualDay / 24, 1);
  });

  it('leaves every other line and the other orgs alone', () => {
    const when = at('2026-11-20T08:00:00Z');
    const others = (usage: readonly FixtureUsageSource[]) =>
      usage.map((source) => source.costs.filter((line) => line.type !== 'STANDARD_COMPUTE'));
    expect(others(timeline.usageAt(acme, when))).toEqual(others(plain.usageAt(acme, when)));
    expect(timeline.usageAt(rivet, when)).toEqual(plain.usageAt(rivet, when));
  });

  it('can be planted in another org', () => {
    const rivetSpike = new UsageTimeline(fixture, {
      anchor: ANCHOR,
      spike: { orgId: rivet.orgId, costType: 'BINARY_DATA_UPLOAD', day: at('2026-11-20T00:00:00Z'), extraUsd: 2 },
    });
    expect(rivetSpike.usageAt(acme, ANCHOR)).toEqual(acme.usage);
    const upload = (when: string) => lineCost(rivetSpike.usageAt(rivet, at(when)), 'BINARY_DATA_UPLOAD');
    const plainUpload = (when: string) => lineCost(plain.usageAt(rivet, at(when)), 'BINARY_DATA_UPLOAD');
    expect(upload('2026-11-21T00:00:00Z') - upload('2026-11-20T00:00:00Z')).toBeGreaterThan(
      plainUpload('2026-11-21T00:00:00Z') - plainUpload('2026-11-20T00:00:00Z') + 1.5,
    );
  });
});

describe('a timeline that cannot be', () => {
  const make = (anchor: Date, spike?: PlantedSpike, onto: EmulatorFixture = fixture) =>
    new UsageTimeline(onto, { anchor, ...(spike ? { spike } : {}) });

  it('refuses an anchor in the first hour of its month, or no date at all', () => {
    expect(() => make(at('2026-11-01T00:30:00Z'))).toThrow('at least an hour into its month');
    expect(() => make(new Date(Number.NaN))).toThrow('valid anchor');
  });

  it('refuses a spike bigger than its line, on a line the org lacks, or of nothing', () => {
    expect(() => make(ANCHOR, { costType: 'STANDARD_COMPUTE', day: ANCHOR, extraUsd: 500 })).toThrow(
      'exceeds STANDARD_COMPUTE',
    );
    expect(() => make(ANCHOR, { costType: 'LOGS_UPLOAD', day: ANCHOR, orgId: rivet.orgId, extraUsd: 5 })).toThrow(
      'does not have',
    );
    expect(() => make(ANCHOR, { costType: 'STANDARD_COMPUTE', day: ANCHOR, orgId: 'nobody', extraUsd: 5 })).toThrow(
      'lacks',
    );
    expect(() => make(ANCHOR, { costType: 'STANDARD_COMPUTE', day: ANCHOR, extraUsd: 0 })).toThrow('positive');
  });

  it('lets a spike after the anchor grow beyond the line, since the fixture says nothing of that day', () => {
    const later = make(ANCHOR, { costType: 'LOGS_EGRESS', day: at('2026-11-28T00:00:00Z'), extraUsd: 500 });
    expect(later.usageAt(acme, ANCHOR)).toEqual(acme.usage);
    expect(lineCost(later.usageAt(acme, at('2026-11-29T00:00:00Z')), 'LOGS_EGRESS')).toBeGreaterThan(500);
  });
});
