/** Axis arithmetic: round tick steps for money, a few readable day ticks, and value-to-pixel maps. */

export interface MoneyAxis {
  /** The top of the axis, a whole number of steps at or above the largest value. */
  max: number;
  step: number;
  ticks: number[];
}

/** Steps a reader can add up at a glance: 1, 2, 2.5 or 5 times a power of ten. */
const NICE_FACTORS = [1, 2, 2.5, 5, 10];

/** A $0-based axis reaching `largest` in about `targetTicks` round steps; $0–$10 when there is nothing to show. */
export function moneyAxis(largest: number, targetTicks = 5): MoneyAxis {
  const top = Number.isFinite(largest) && largest > 0 ? largest : 10;
  const rough = top / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const factor = NICE_FACTORS.find((nice) => nice * magnitude >= rough * (1 - 1e-9)) ?? 10;
  const step = factor * magnitude;
  const steps = Math.ceil(top / step - 1e-9);
  const ticks = Array.from({ length: steps + 1 }, (_, index) => roundTo(index * step, step));
  return { max: roundTo(steps * step, step), step, ticks };
}

const wholeDollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});

/** A tick label as short as the step allows: `$0.50`, `$250`, `$1,500`, `$25K`. */
export function formatMoneyTick(value: number, step: number): string {
  if (step >= 10_000) return compact.format(value);
  return Number.isInteger(step) ? wholeDollars.format(value) : cents.format(value);
}

/** Day-of-period ticks: the first day, then every `every` days, so at most about eight labels. */
export function dayTicks(days: number): number[] {
  const every = days <= 8 ? 1 : days <= 16 ? 2 : days <= 40 ? 5 : Math.ceil(days / 40) * 5;
  const ticks = [1];
  for (let day = every; day <= days; day += every) if (day > 1) ticks.push(day);
  return ticks;
}

/** Maps [domainMin, domainMax] onto [rangeStart, rangeEnd]; a zero-width domain maps to the range start. */
export function linear(domainMin: number, domainMax: number, rangeStart: number, rangeEnd: number) {
  const width = domainMax - domainMin;
  return (value: number): number =>
    width === 0 ? rangeStart : rangeStart + ((value - domainMin) / width) * (rangeEnd - rangeStart);
}

/** Rounds away floating-point dust (0.30000000000000004) at the precision of the step. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(decimals));
}
