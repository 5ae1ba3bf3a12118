/**
 * Weekly digest schedules, one per (workspace, channel), kept in the store so they survive restarts
 * and are deleted with the workspace.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import type { RecordCollection, RecordType, Store, WorkspaceRef } from '../store';
import { StoreError } from '../store';
import { CLOCK_TIME, canonicalTimeZone, WEEKDAYS, type WeeklyTime } from './weekly-time';

export interface DigestSchedule extends WeeklyTime {
  /** Where the digest is posted: a public (C…) or private (G…) channel ID. */
  channelId: string;
  /** The connected org it reports on, by the label the workspace gave it. */
  orgLabel: string;
  /** Slack user who set it up. */
  createdBy: string;
  /** ISO 8601. Occurrences before this moment are never due. */
  createdAt: string;
}

/** Slack conversation IDs: public channels C…, private G… (and C… on newer workspaces). */
export const CHANNEL_ID = /^[CG][A-Z0-9]{2,30}$/;

const scheduleSchema = z.object({
  channelId: z.string().regex(CHANNEL_ID),
  orgLabel: z.string().min(1).max(40),
  weekday: z.enum(WEEKDAYS),
  time: z.string().regex(CLOCK_TIME),
  timeZone: z.string().min(1).max(64),
  createdBy: z.string().regex(/^[UW][A-Z0-9]{1,31}$/),
  createdAt: z.iso.datetime(),
});

export const SCHEDULE_RECORD: RecordType<DigestSchedule> = {
  kind: 'digest-schedule',
  version: 1,
  schema: scheduleSchema,
  unreadableMessage:
    'A saved digest schedule for this workspace could not be read. Set it again with `/viam-usage digest #channel`, or turn it off with `/viam-usage digest off #channel`.',
};

export class DigestSchedules {
  private readonly records: RecordCollection<DigestSchedule>;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {
    this.records = store.records(SCHEDULE_RECORD);
  }

  /** Adds the channel's schedule or replaces it. The zone is stored in its canonical spelling. */
  async set(ref: WorkspaceRef, schedule: DigestSchedule): Promise<DigestSchedule> {
    const timeZone = canonicalTimeZone(schedule.timeZone);
    if (timeZone === undefined) {
      throw new StoreError(
        'invalid',
        'That is not a time zone. Use a name like `Europe/Berlin` or `America/New_York`.',
      );
    }
    const stored = { ...schedule, timeZone };
    await this.records.set(ref, schedule.channelId, stored);
    return stored;
  }

  async get(ref: WorkspaceRef, channelId: string): Promise<DigestSchedule | undefined> {
    return this.records.get(ref, channelId);
  }

  /** True when there was a schedule to remove. */
  async remove(ref: WorkspaceRef, channelId: string): Promise<boolean> {
    return this.records.delete(ref, channelId);
  }

  /** The workspace's readable schedules by channel ID; unreadable ones are logged by the store and left out. */
  async listFor(ref: WorkspaceRef): Promise<DigestSchedule[]> {
    const listing = await this.records.list(ref);
    if (listing.unreadable.length > 0) {
      this.logger.warn(
        { channels: listing.unreadable.map(({ id }) => id) },
        'skipping digest schedules that cannot be read',
      );
    }
    return listing.records.map(({ value }) => value);
  }

  /** Every schedule of every workspace. A workspace whose schedules cannot be listed is logged and skipped. */
  async *listAll(): AsyncIterable<{ ref: WorkspaceRef; schedule: DigestSchedule }> {
    for await (const ref of this.store.workspaces.listWorkspaces()) {
      let schedules: DigestSchedule[];
      try {
        schedules = await this.listFor(ref);
      } catch (error) {
        this.logger.error(
          { teamId: ref.teamId, err: error instanceof Error ? error.message : String(error) },
          'could not list digest schedules',
        );
        continue;
      }
      for (const schedule of schedules) yield { ref, schedule };
    }
  }
}
