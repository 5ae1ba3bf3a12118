/** Slack reports a user's `tz_offset` (seconds east of UTC) and `tz_label` for the current moment, DST included. */
export function tzOffsetSeconds(timeZone: string, atMs: number): number {
  const name = timeZoneName(timeZone, atMs, 'longOffset');
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 3600 + Number(match[3]) * 60);
}

export function tzLabel(timeZone: string, atMs: number): string {
  return timeZoneName(timeZone, atMs, 'long');
}

function timeZoneName(timeZone: string, atMs: number, style: 'long' | 'longOffset'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: style }).formatToParts(new Date(atMs));
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
}
