/**
 * Checks on the dollar figures a message gives, whatever its wording: the app may phrase or label a
 * comparison as it likes, but the numbers must be the ones the emulator's history implies.
 */
import { type Check, check } from './checks';

/** Every dollar amount in `text` (`$1,234.56`, `-$3.00`, `+$80`), as a magnitude: signs and words vary. */
export function dollarAmounts(text: string): number[] {
  return [...text.matchAll(/\$(\d{1,3}(?:,\d{3})*|\d+)(\.\d{1,2})?/g)].map((match) =>
    Number(`${(match[1] ?? '0').replaceAll(',', '')}${match[2] ?? ''}`),
  );
}

/** `$1,234.56`, as the app prints money. */
export function usd(amount: number): string {
  return `$${Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** True when `text` gives an amount within `tolerance` dollars of `expected` (sign aside). */
export function hasAmountNear(text: string, expected: number, tolerance: number): boolean {
  return dollarAmounts(text).some((amount) => Math.abs(amount - Math.abs(expected)) <= tolerance);
}

/** `text` gives an amount within `tolerance` dollars of `expected` (sign aside). */
export function mentionsAmount(
  expectation: string,
  text: string | undefined,
  expected: number,
  tolerance: number,
): Check {
  const found = dollarAmounts(text ?? '');
  const near = hasAmountNear(text ?? '', expected, tolerance);
  const seen = found.length === 0 ? 'no dollar amounts' : found.map(usd).join(', ');
  return check(
    expectation,
    near,
    text === undefined ? 'nothing arrived' : `expected about ${usd(expected)}; found ${seen}`,
  );
}
