import { z } from 'zod';
import type { Logger } from '../logger';
import type { LogCollection, LogType, RecordCollection, RecordType, Store, WorkspaceRef } from '../store';

/**
 * Who changed what in a workspace, and when: connecting and disconnecting orgs, access changes,
 * digest schedules and resets. Kept in the workspace's own key space (so an uninstall removes it
 * with everything else) as an append-only log capped at AUDIT_CAPACITY: every entry is one append on
 * the engine (a Redis list push, a row in SQL), so entries written at once by several replicas are
 * all kept.
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

const AUDIT_LOG = (capacity: number): LogType<AuditEntry> => ({ kind: 'audit', schema: entrySchema, capacity });

const LOG_ID = 'log';

/**
 * Before the log, the trail was one record of the same kind and ID. It is still read (after the
 * log's entries, being older), so an upgrade does not hide history; nothing writes it any more.
 */
const LEGACY_RECORD: RecordType<{ entries: AuditEntry[] }> = {
  kind: 'audit',
  version: 1,
  schema: z.object({ entries: z.array(entrySchema) }),
  unreadableMessage:
    'This workspace’s audit trail could not be read. The settings themselves are unaffected; an admin can check the app’s log.',
};

export class AuditTrail {
  private readonly log: LogCollection<AuditEntry>;
  private readonly legacy: RecordCollection<{ entries: AuditEntry[] }>;

  constructor(
    store: Store,
    private readonly now: () => Date,
    capacity: number = AUDIT_CAPACITY,
  ) {
    this.log = store.logs(AUDIT_LOG(capacity));
    this.legacy = store.records(LEGACY_RECORD);
  }

  /** Adds an entry stamped with the current time; the oldest beyond the capacity are dropped. */
  async record(ref: WorkspaceRef, entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry> {
    const stamped: AuditEntry = { at: this.now().toISOString(), ...entry };
    await this.log.append(ref, LOG_ID, stamped);
    return stamped;
  }

  /** The latest entries, newest first. */
  async latest(ref: WorkspaceRef, count: number): Promise<AuditEntry[]> {
    const entries = await this.log.latest(ref, LOG_ID, count);
    if (entries.length >= count) return entries;
    const legacy = (await this.legacy.get(ref, LOG_ID))?.entries ?? [];
    return [...entries, ...legacy.slice(-(count - entries.length)).reverse()];
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
