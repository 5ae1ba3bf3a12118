/**
 * Per-org anomaly alert settings. Anomaly alerts go to the org's alert channel (set with its budget);
 * these settings only say whether they are on and how sensitive they are.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import { isStoreError, type RecordCollection, type RecordType, type Store, type WorkspaceRef } from '../store';
import { type AnomalyThresholds, DEFAULT_THRESHOLDS } from './detect';

export interface AnomalySettings extends AnomalyThresholds {
  orgId: string;
  enabled: boolean;
}

const settingsSchema = z.object({
  orgId: z.string().min(1).max(64),
  enabled: z.boolean(),
  minDailyUsd: z.number().finite().positive().max(10_000_000),
  minIncreasePct: z.number().finite().min(1).max(10_000),
});

export const ANOMALY_SETTINGS_RECORD: RecordType<AnomalySettings> = {
  kind: 'anomaly-settings',
  version: 1,
  schema: settingsSchema,
  unreadableMessage:
    "This org's anomaly alert settings could not be read, so the defaults apply. Set them again with `/viam-usage anomalies on --min 20 --pct 50`.",
};

export class AnomalySettingsStore {
  private readonly records: RecordCollection<AnomalySettings>;

  constructor(
    store: Store,
    private readonly logger: Logger,
  ) {
    this.records = store.records(ANOMALY_SETTINGS_RECORD);
  }

  /** The org's settings; the defaults (on, $20 a day, 50%) when none are saved or they cannot be read. */
  async get(ref: WorkspaceRef, orgId: string): Promise<AnomalySettings> {
    try {
      return (await this.records.get(ref, orgId)) ?? defaults(orgId);
    } catch (error) {
      this.logger.warn(
        { teamId: ref.teamId, orgId, err: String(error) },
        'anomaly settings unreadable; using defaults',
      );
      return defaults(orgId);
    }
  }

  /** Applies the given changes over the current settings and saves them. */
  async change(
    ref: WorkspaceRef,
    orgId: string,
    changes: Partial<Omit<AnomalySettings, 'orgId'>>,
  ): Promise<AnomalySettings> {
    const apply = (current: AnomalySettings | undefined) => ({ ...(current ?? defaults(orgId)), ...changes, orgId });
    try {
      return (await this.records.update(ref, orgId, apply)) as AnomalySettings;
    } catch (error) {
      if (!isStoreError(error) || error.kind !== 'corrupt') throw error;
      // Unreadable settings read as the defaults (see get), so a change starts from them and replaces the bad value.
      const next = apply(undefined);
      await this.records.set(ref, orgId, next);
      return next;
    }
  }
}

function defaults(orgId: string): AnomalySettings {
  return { orgId, enabled: true, ...DEFAULT_THRESHOLDS };
}
