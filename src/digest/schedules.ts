/**
 * Weekly digest schedules, one per (workspace, channel), kept in the store so they survive restarts
 * and are deleted with the workspace. Each has a member in the due index's `digest` queue saying when
 * it is next due; saving and removing a schedule keeps that member in step.
 */
import { z } from 'zod';
import { errorName, type Logger } from '../logger';
import { dueMember, parseDueMember } from '../schedule/members';
import type { RecordCollection, RecordType, Store, WorkspaceRef } from '../store';
import { StoreError } from '../store';
import { firstDueAt } from './due-times';
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

/** The due index's queue of digests. */
export const DIGEST_QUEUE = 'digest';

/** A digest's due member is its schedule record's own key, `ws:<workspace>:digest-schedule:<channel>`. */
export function digestMember(ref: WorkspaceRef, channelId: string): string {
  return dueMember(ref, SCHEDULE_RECORD.kind, channelId);
}

export function parseDigestMember(member: string): { ref: WorkspaceRef; channelId: string } | undefined {
  const parsed = parseDueMember(member, SCHEDULE_RECORD.kind);
  return parsed && { ref: parsed.ref, channelId: parsed.id };
}

export class DigestSchedules {
  private readonly records: RecordCollection<DigestSchedule>;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.records = store.records(SCHEDULE_RECORD);
  }

  /** Adds the channel's schedule or replaces it, and says when it is due. The zone is stored in its canonical spelling. */
  async set(ref: WorkspaceRef, schedule: DigestSchedule): Promise<DigestSchedule> {
    const timeZone = canonicalTimeZone(schedule.timeZone);
    if (timeZone === undefined) {
      throw new StoreError(
        'invalid',
        'That is not a time zone. Use a name like `Europe/Berlin` or `America/New_York`.',
      );
    }
    const stored = { ...schedule, timeZone };
    const previous = await this.records.get(ref, schedule.channelId).catch(() => undefined);
    // The record first, then its due time. The other way round, a replica's tick taking the new member
    // before the record is saved finds no schedule behind it and drops it, and the schedule is never due.
    await this.records.set(ref, schedule.channelId, stored);
    try {
      await this.store.due.set(DIGEST_QUEUE, digestMember(ref, stored.channelId), firstDueAt(stored, this.now()));
    } catch (error) {
      // A schedule that is not due is not saved: put back what was there, and let the caller say so.
      await this.putBack(ref, schedule.channelId, previous);
      throw error;
    }
    return stored;
  }

  private async putBack(ref: WorkspaceRef, channelId: string, previous: DigestSchedule | undefined): Promise<void> {
    try {
      if (previous) await this.records.set(ref, channelId, previous);
      else await this.records.delete(ref, channelId);
    } catch (error) {
      this.logger.error(
        { teamId: ref.teamId, channel: channelId, err: errorName(error) },
        'a digest schedule was saved without its due time and could not be put back; setting it again makes it due',
      );
    }
  }

  async get(ref: WorkspaceRef, channelId: string): Promise<DigestSchedule | undefined> {
    return this.records.get(ref, channelId);
  }

  /** True when there was a schedule to remove. A due member left behind by a failure is dropped by the scheduler. */
  async remove(ref: WorkspaceRef, channelId: string): Promise<boolean> {
    const removed = await this.records.delete(ref, channelId);
    await this.store.due.remove(DIGEST_QUEUE, digestMember(ref, channelId));
    return removed;
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
}
