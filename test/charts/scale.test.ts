import fc from 'fast-check';
import { dayTicks, formatMoneyTick, linear, moneyAxis } from '../../src/charts/scale';

describe('moneyAxis', () => {
  it.each([
    [290.23, 300, 100],
    [500, 500, 100],
    [0.42, 0.5, 0.1],
    [1234, 1250, 250],
    [87_500, 100_000, 20_000],
    [3, 3, 1],
    [51, 60, 20],
  ])('%p -> up to %p in steps of %p', (largest, max, step) => {
    const axis = moneyAxis(largest);
    expect(axis.max).toBe(max);
    expect(axis.step).toBe(step);
    expect(axis.ticks[0]).toBe(0);
    expect(axis.ticks.at(-1)).toBe(max);
  });

  it('shows $0–$10 when there is nothing to plot', () => {
    expect(moneyAxis(0)).toEqual({ max: 10, step: 2, ticks: [0, 2, 4, 6, 8, 10] });
    expect(moneyAxis(Number.NaN).max).toBe(10);
  });

  it('always covers the largest value in a few round, evenly spaced steps', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e8, noNaN: true }), (largest) => {
        const axis = moneyAxis(largest);
        expect(axis.max).toBeGreaterThanOrEqual(largest * (1 - 1e-9));
        expect(axis.max).toBeLessThan(largest * 2.5 + axis.step);
        expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
        expect(axis.ticks.length).toBeLessThanOrEqual(11);
        const mantissa = axis.step / 10 ** Math.floor(Math.log10(axis.step));
        expect([1, 2, 2.5, 5].some((nice) => Math.abs(mantissa - nice) < 1e-6)).toBe(true);
        axis.ticks.forEach((tick, index) => {
          expect(tick).toBeCloseTo(index * axis.step, 6);
        });
      }),
    );
  });
});

describe('formatMoneyTick', () => {
  it('uses as many digits as the step needs', () => {
    expect(formatMoneyTick(0.5, 0.1)).toBe('$0.50');
    expect(formatMoneyTick(7.5, 2.5)).toBe('$7.50');
    expect(formatMoneyTick(1500, 500)).toBe('$1,500');
    expect(formatMoneyTick(0, 50)).toBe('$0');
    expect(formatMoneyTick(40_000, 20_000)).toBe('$40K');
    expect(formatMoneyTick(2_500_000, 500_000)).toBe('$2.5M');
  });
});

describe('dayTicks', () => {
  it('labels the first day and round days after it', () => {
    expect(dayTicks(30)).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(dayTicks(28)).toEqual([1, 5, 10, 15, 20, 25]);
    expect(dayTicks(7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(dayTicks(14)).toEqual([1, 2, 4, 6, 8, 10, 12, 14]);
    expect(dayTicks(1)).toEqual([1]);
  });
});

describe('linear', () => {
  it('maps the domain onto the range, flipped when the range runs backwards (y grows downwards)', () => {
    const y = linear(0, 500, 520, 180);
    expect(y(0)).toBe(520);
    expect(y(500)).toBe(180);
    expect(y(250)).toBe(350);
    expect(linear(5, 5, 10, 20)(5)).toBe(10);
  });
});
