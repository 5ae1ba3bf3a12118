/**
 * The paging and bounds rules of `conversations.history`, kept apart from the method so the ts arithmetic is in one
 * place. Slack timestamps are `<seconds>.<6 digits>`; as a double that is 16 significant digits, one more than a double
 * holds exactly, so they are compared as integer microseconds in a bigint.
 */

const MICROS_PER_SECOND = 1_000_000n;
const CURSOR_PREFIX = 'next_ts:';

/** Slack's default page and its ceiling. */
export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 999;

/** A Slack ts (or a bound such as `oldest=1700000000`) in microseconds; undefined when it is not one. */
export function tsMicros(ts: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts.trim());
  if (!match) return undefined;
  const [, seconds = '0', fraction = ''] = match;
  return BigInt(seconds) * MICROS_PER_SECOND + BigInt(fraction.padEnd(6, '0'));
}

export interface HistoryWindow {
  /** Exclusive unless `inclusive`; default: the beginning of time. */
  oldest?: bigint;
  /** Exclusive unless `inclusive`; default: now. */
  latest?: bigint;
  inclusive: boolean;
}

export function inWindow(ts: bigint, window: HistoryWindow): boolean {
  const { oldest, latest, inclusive } = window;
  if (oldest !== undefined && (inclusive ? ts < oldest : ts <= oldest)) return false;
  if (latest !== undefined && (inclusive ? ts > latest : ts >= latest)) return false;
  return true;
}

/** Slack's cursors are opaque base64; like Slack's, ours names the ts the next page starts at. */
export function encodeCursor(nextTs: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${nextTs}`, 'utf8').toString('base64');
}

/** The ts a cursor points at, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): bigint | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX)) return undefined;
  return tsMicros(decoded.slice(CURSOR_PREFIX.length));
}

/** Slack clamps out-of-range limits instead of refusing them; a non-number falls back to the default. */
export function pageLimit(raw: string | undefined): number {
  const parsed = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  if (!Number.isFinite(parsed) || parsed < 1) return HISTORY_DEFAULT_LIMIT;
  return Math.min(parsed, HISTORY_MAX_LIMIT);
}
