/**
 * Where hourly checks sit in the due index (src/schedule): one member per connected org in the
 * `org-check` queue. Each org is checked at its own minute of the interval, a stable hash of its
 * workspace and org ID, so a thousand orgs are spread over the hour instead of all checked at :00.
 * A newly connected org is due at once (its first snapshot, and any budget alert, need not wait for
 * its minute); disconnecting it removes its member, and deleting the workspace removes them all.
 */
import { createHash } from 'node:crypto';
import { dueMember, parseDueMember, scheduleIfAbsent } from '../schedule/members';
import type { Store, WorkspaceRef } from '../store';
import { workspacePrefix } from '../store';

export const ORG_CHECK_QUEUE = 'org-check';
const MEMBER_KIND = 'org-check';
const MINUTE_MS = 60_000;

export function orgCheckMember(ref: WorkspaceRef, orgId: string): string {
  return dueMember(ref, MEMBER_KIND, orgId);
}

export function parseOrgCheckMember(member: string): { ref: WorkspaceRef; orgId: string } | undefined {
  const parsed = parseDueMember(member, MEMBER_KIND);
  return parsed && { ref: parsed.ref, orgId: parsed.id };
}

/** The checks' spacing in minutes (ALERT_CHECK_INTERVAL_MINUTES): a divisor of 60, so slots line up with hours. */
export function checkedInterval(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60 || 60 % minutes !== 0) {
    throw new RangeError('the alert check interval must be a whole number of minutes dividing 60');
  }
  return minutes;
}

/** The org's minute within each interval, 0 to interval − 1; the same on every replica and across restarts. */
export function checkMinute(ref: WorkspaceRef, orgId: string, intervalMinutes: number): number {
  const digest = createHash('sha256')
    .update(`${workspacePrefix(ref)}${orgId}`, 'utf8')
    .digest();
  return digest.readUInt32BE(0) % checkedInterval(intervalMinutes);
}

/** The org's next check strictly after `after`: the next instant at its minute of an interval. */
export function nextCheckAt(ref: WorkspaceRef, orgId: string, intervalMinutes: number, after: Date): Date {
  const periodMs = checkedInterval(intervalMinutes) * MINUTE_MS;
  const offsetMs = checkMinute(ref, orgId, intervalMinutes) * MINUTE_MS;
  const slot = Math.floor((after.getTime() - offsetMs) / periodMs) * periodMs + offsetMs;
  return new Date(slot + periodMs);
}

/** A connected org is checked from now on; an org that already has a check time keeps it. */
export async function scheduleOrgCheck(store: Store, ref: WorkspaceRef, orgId: string, now: Date): Promise<void> {
  await scheduleIfAbsent(store, ORG_CHECK_QUEUE, orgCheckMember(ref, orgId), now);
}

/** A disconnected org is checked no more (a member left behind by a failure is dropped by the scheduler). */
export async function unscheduleOrgCheck(store: Store, ref: WorkspaceRef, orgId: string): Promise<void> {
  await store.due.remove(ORG_CHECK_QUEUE, orgCheckMember(ref, orgId));
}
