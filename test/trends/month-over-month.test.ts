import type { UsageCategory } from '../../src/billing/model';
import type { UsageSnapshot } from '../../src/digest/snapshots';
import { monthOverMonth, previousPeriodPoint } from '../../src/trends/month-over-month';

const NOV = new Date('2026-11-01T00:00:00Z');
const OCT = '2026-10-01T00:00:00.000Z';

function snapshot(takenAt: string, subtotal: number, periodStart = OCT): UsageSnapshot {
  const categories: Record<UsageCategory, number> = {
    storage: subtotal / 2,
    compute: subtotal / 2,
    data_transfer: 0,
    other: 0,
  };
  return {
    takenAt,
    source: 'hourly',
    periodStart,
    periodEnd: '2026-10-31T23:59:59.999Z',
    subtotal,
    categories,
    lines: {},
  };
}

const current = {
  periodStart: NOV,
  subtotal: 300,
  categories: { storage: 200, compute: 100, data_transfer: 0, other: 0 },
};

describe('previousPeriodPoint', () => {
  it('is as far into the previous month as now is into this one', () => {
    expect(previousPeriodPoint(NOV, new Date('2026-11-26T15:00:00Z'))).toEqual({
      previousStart: new Date('2026-10-01T00:00:00Z'),
      at: new Date('2026-10-26T15:00:00Z'),
    });
  });

  it('never reaches past the end of a shorter previous month', () => {
    const march = new Date('2027-03-01T00:00:00Z');
    const point = previousPeriodPoint(march, new Date('2027-03-30T12:00:00Z'));
    expect(point.previousStart).toEqual(new Date('2027-02-01T00:00:00Z'));
    expect(point.at).toEqual(new Date('2027-02-28T23:59:59.999Z'));
  });
});

describe('monthOverMonth', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it('interpolates between the snapshots either side of the same point last month', () => {
    const history = [snapshot('2026-10-26T00:00:00Z', 200), snapshot('2026-10-27T00:00:00Z', 240)];
    const result = monthOverMonth(current, history, now);
    expect(result?.previous).toBe(220);
    expect(result?.current).toBe(300);
    expect(result?.change.amount).toBe(80);
    expect(result?.change.fraction).toBeCloseTo(80 / 220, 6);
    expect(result?.comparedAt).toEqual(new Date('2026-10-26T12:00:00Z'));
    expect(result?.categories.map((c) => [c.category, c.previous, c.current])).toEqual([
      ['storage', 110, 200],
      ['compute', 110, 100],
    ]);
  });

  it('uses one nearby snapshot when there is only one', () => {
    const result = monthOverMonth(current, [snapshot('2026-10-26T20:00:00Z', 180)], now);
    expect(result?.previous).toBe(180);
  });

  it('has nothing when the previous month’s snapshots are far from the point, or from another period', () => {
    expect(monthOverMonth(current, [snapshot('2026-10-20T00:00:00Z', 100)], now)).toBeUndefined();
    expect(monthOverMonth(current, [snapshot('2026-11-20T00:00:00Z', 100, NOV.toISOString())], now)).toBeUndefined();
    expect(monthOverMonth(current, [], now)).toBeUndefined();
  });
});
