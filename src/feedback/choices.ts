/**
 * What people answered on alerts: Expected, Investigating or Unexpected, by whom and when, per org and
 * billing period. "Expected" on a spend line mutes anomaly alerts of that line until the period ends.
 */
import { z } from 'zod';
import type { RecordCollection, RecordType, Store, WorkspaceRef } from '../store';

export const FEEDBACK_CHOICES = ['expected', 'investigating', 'unexpected'] as const;
export type FeedbackChoice = (typeof FEEDBACK_CHOICES)[number];

export const CHOICE_LABELS: Readonly<Record<FeedbackChoice, string>> = {
  expected: 'Expected',
  investigating: 'Investigating',
  unexpected: 'Unexpected',
};

export interface FeedbackEntry {
  /** The alert answered, e.g. `anomaly:line:data_egress:2026-11-26` or `budget:80`. */
  alert: string;
  /** The spend line or category the alert was about (`line:…`, `category:…`), for muting. */
  line?: string;
  choice: FeedbackChoice;
  userId: string;
  /** ISO 8601. */
  at: string;
}

interface PeriodFeedback {
  orgId: string;
  /** The billing period's start, ISO 8601. */
  period: string;
  entries: FeedbackEntry[];
}

/** Far more than a period's alerts will ever get; the oldest go first. */
const MAX_ENTRIES = 500;

const entrySchema = z.object({
  alert: z.string().min(1).max(200),
  line: z.string().min(1).max(200).optional(),
  choice: z.enum(FEEDBACK_CHOICES),
  userId: z.string().regex(/^[UW][A-Z0-9]{1,31}$/),
  at: z.iso.datetime(),
});

export const FEEDBACK_RECORD: RecordType<PeriodFeedback> = {
  kind: 'alert-feedback',
  version: 1,
  schema: z.object({ orgId: z.string().min(1), period: z.iso.datetime(), entries: z.array(entrySchema) }),
  unreadableMessage:
    'Saved answers to this org’s alerts could not be read, so lines marked Expected may alert again this period.',
};

export class AlertFeedback {
  private readonly records: RecordCollection<PeriodFeedback>;

  constructor(store: Store) {
    this.records = store.records(FEEDBACK_RECORD);
  }

  /** Adds one person's answer and returns every answer to that alert, oldest first. */
  async record(ref: WorkspaceRef, orgId: string, period: string, entry: FeedbackEntry): Promise<FeedbackEntry[]> {
    const saved = await this.records.update(ref, recordId(orgId, period), (current) => ({
      orgId,
      period,
      entries: [...(current?.entries ?? []), entry].slice(-MAX_ENTRIES),
    }));
    return (saved?.entries ?? []).filter((existing) => existing.alert === entry.alert);
  }

  /** Lines whose latest answer this period is Expected: their anomaly alerts are muted. */
  async mutedLines(ref: WorkspaceRef, orgId: string, period: string): Promise<Set<string>> {
    const entries = (await this.records.get(ref, recordId(orgId, period)))?.entries ?? [];
    const latest = new Map<string, FeedbackChoice>();
    for (const entry of entries) if (entry.line) latest.set(entry.line, entry.choice);
    return new Set([...latest].filter(([, choice]) => choice === 'expected').map(([line]) => line));
  }
}

/** `<orgId>:<period day>`: one record per org and billing period. */
function recordId(orgId: string, period: string): string {
  return `${orgId}:${period.slice(0, 10)}`;
}
