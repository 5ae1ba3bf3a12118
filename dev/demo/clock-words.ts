/** How the narrator reads the demo clock in a zone. */

/** `Monday, Nov 30, 2026, 09:00 Europe/Berlin`. */
export function dayAndTimeIn(zone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(at)
    .concat(` ${zone}`);
}

/** `10:17`. */
export function timeIn(zone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
