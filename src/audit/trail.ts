import { z } from 'zod';
import type { Logger } from '../logger';
import type { RecordType, Store, WorkspaceRef } from '../store';

/**
 * Who changed what in a workspace, and when: connecting and disconnecting orgs, access changes,
 * digest schedules and resets. Kept in the workspace's own key space (so an uninstall removes it
 * with everything else) as one capped record, newest last.
 *
 * Appends are serialised within a process; two replicas appending in the same instant could lose
 * one entry. Management commands are rare and made by hand, so that is accepted rather than paying
 * a cross-replica lock on every change.
 */

export const AUDIT_ACTIONS = [
  'org.connected',
  'org.disconnected',
  'access.granted',
  'access.revoked',
  'digest.set',
  'digest.stopped',
  'budget.set',
  'budget.removed',
  'anomalies.changed',
  'alert.feedback',
  'workspace.reset',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** ISO 8601. */
  at: string;
  action: AuditAction;
  /** Slack user ID of whoever did it. */
  actor: string;
  /** The org's label, for org changes and digests. */
  org?: string;
  orgId?: string;
  /** The Slack user whose access changed. */
  subject?: string;
  /** The digest's channel. */
  channel?: string;
  /** The digest's weekly time, e.g. `mon 09:00 Europe/Berlin`. */
  schedule?: string;
  /** A budget's amount in US dollars. */
  amount?: number;
  /** What a settings change set, in words (`on, $20/day, 50%`). */
  detail?: string;
}

/** Entries kept per workspace; older ones are dropped as new ones arrive. */
export const AUDIT_CAPACITY = 200;

const entrySchema = z.object({
  at: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  actor: z.string(),
  org: z.string().optional(),
  orgId: z.string().optional(),
  subject: z.string().optional(),
  channel: z.string().optional(),
  schedule: z.string().optional(),
  amount: z.number().finite().optional(),
  detail: z.string().max(200).optional(),
});

const AUDIT_RECORD: RecordType<{ entries: AuditEntry[] }> = {
  kind: 'audit',
  version: 1,
  schema: z.object({ entries: z.array(entrySchema) }),
  unreadableMessage:
    'This workspace’s audit trail could not be read. The settings themselves are unaffected; an admin can check the app’s log.',
};

const RECORD_ID = 'log';

export class AuditTrail {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly capacity: number = AUDIT_CAPACITY,
  ) {}

  /** Adds an entry stamped with the current time; the oldest beyond the capacity are dropped. */
  async record(ref: WorkspaceRef, entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry> {
    const stamped: AuditEntry = { at: this.now().toISOString(), ...entry };
    await this.store.records(AUDIT_RECORD).update(ref, RECORD_ID, (current) => ({
      entries: [...(current?.entries ?? []), stamped].slice(-this.capacity),
    }));
    return stamped;
  }

  /** The latest entries, newest first. */
  async latest(ref: WorkspaceRef, count: number): Promise<AuditEntry[]> {
    const stored = await this.store.records(AUDIT_RECORD).get(ref, RECORD_ID);
    return (stored?.entries ?? []).slice(-count).reverse();
  }
}

/**
 * Records an entry without ever failing the change it describes: the change is already made, and a
 * user should not be told it failed because its trail could not be written. The miss is logged.
 */
export async function recordQuietly(
  trail: AuditTrail,
  ref: WorkspaceRef,
  entry: Omit<AuditEntry, 'at'>,
  logger: Logger,
): Promise<void> {
  try {
    await trail.record(ref, entry);
  } catch (error) {
    logger.warn(
      { action: entry.action, err: error instanceof Error ? error.name : 'unknown' },
      'audit entry not recorded',
    );
  }
}
