/**
 * The runner's follow-up step with the spend chart: after a scheduled digest is posted, the chart goes
 * into the digest's thread, best effort. Real emulator (gRPC), Slack stand-in (HTTP) and SQLite store.
 */
import { PNG } from 'pngjs';
import { Budgets } from '../../src/budgets/budgets';
import { latestDueOccurrence } from '../../src/digest/occurrences';
import type { DigestRunner, ScheduledRun } from '../../src/digest/runner';
import { DIGEST_EVENT_TYPE } from '../../src/digest/runs';
import type { DigestSchedule } from '../../src/digest/schedules';
import { postTagged } from '../../src/posting/tagged-message';
import { digestChartFollowUp } from '../../src/services/spend-chart';
import { ADA, BILLING_CHANNEL, type Harness, startHarness, TEAM } from './harness';

/** Monday Nov 23, 2026, twenty seconds after a Monday 09:00 Berlin digest fell due. */
const START = '2026-11-23T08:00:20Z';

describe('DigestRunner with the spend chart', () => {
  let h: Harness;
  let schedule: DigestSchedule;
  let budgets: Budgets;

  beforeEach(async () => {
    h = await startHarness({ start: START });
    await h.connect(TEAM);
    schedule = await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    budgets = new Budgets(h.store, h.log.logger);
  });

  afterEach(async () => {
    await h.stop();
  });

  function chartRunner(overrides: Parameters<Harness['newRunner']>[0] = {}): DigestRunner {
    const budgetFor = (ref: typeof TEAM, orgId: string) => budgets.amountFor(ref, orgId);
    return h.newRunner({ budgetFor, followUp: digestChartFollowUp({ store: h.store, budgetFor }), ...overrides });
  }

  function due(): ScheduledRun {
    const occurrence = latestDueOccurrence(schedule, h.clock.now());
    return { ref: TEAM, schedule, occurrence, graceEndsAt: new Date(occurrence.at.getTime() + 24 * 60 * 60_000) };
  }

  function warnings(): string[] {
    return h.log
      .entries()
      .filter((entry) => entry.level === 40)
      .map((entry) => String(entry.msg));
  }

  it('uploads one chart as a reply in the digest’s thread, with the budget drawn', async () => {
    const org = h.emulator.orgs[0];
    if (!org) throw new Error('no org');
    await budgets.set(TEAM, {
      orgId: org.orgId,
      amount: 900,
      channelId: BILLING_CHANNEL,
      setBy: ADA,
      setAt: h.clock.now().toISOString(),
    });
    const outcome = await chartRunner().runScheduled(due());
    if (outcome.status !== 'posted') throw new Error(`expected a post, got ${outcome.status}`);

    const [digest] = h.digestsIn(BILLING_CHANNEL);
    expect(digest?.ts).toBe(outcome.ts);
    const files = h.standIn.uploadedFiles();
    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file).toMatchObject({ channel: BILLING_CHANNEL, threadTs: outcome.ts, filename: 'acme-spend-2026-11.png' });
    expect(file?.initialComment).toMatch(/^Spend chart of acme: \$[\d,.]+ month to date \(1–23 Nov 2026\)\./);
    expect(file?.initialComment).toContain('Budget $900.00');
    const png = PNG.sync.read(file?.bytes ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([960, 540]);
    const [urlCall] = h.standIn.calls('files.getUploadURLExternal');
    expect(String(urlCall?.args.alt_text)).toContain('Budget $900.00');
    // Only the digest is a top-level message; the chart lives in its thread.
    expect(h.standIn.messagesIn(BILLING_CHANNEL).filter((message) => !message.threadTs)).toHaveLength(1);
  });

  it('a failing upload is logged, and the digest stays posted exactly once', async () => {
    h.standIn.failNext('files.getUploadURLExternal', 'file_uploads_disabled');
    const runner = chartRunner();
    const run = due();
    expect((await runner.runScheduled(run)).status).toBe('posted');
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(h.standIn.uploadedFiles()).toEqual([]);
    expect(h.log.entries()).toContainEqual(
      expect.objectContaining({
        msg: 'the follow-up of a posted digest failed; the digest stands',
        code: 'slack_file_uploads_disabled',
      }),
    );
    expect(await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id)).toMatchObject({ state: 'posted' });

    expect(await runner.runScheduled(run)).toEqual({ status: 'already-done', state: 'posted' });
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(h.standIn.uploadedFiles()).toEqual([]);
  });

  it('a follow-up that never finishes does not hold the run', async () => {
    const runner = chartRunner({ followUp: () => new Promise(() => {}), followUpTimeoutMs: 25 });
    expect((await runner.runScheduled(due())).status).toBe('posted');
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(warnings()).toContain('the follow-up of a posted digest is taking too long; not waiting for it');
  });

  it('a reconciled run (posted before a crash) does not upload a second chart', async () => {
    const runner = chartRunner();
    const run = due();
    const id = `${BILLING_CHANNEL}:${run.occurrence.id}`;
    const crashedAt = h.clock.now().toISOString();
    await runner.runs.put(TEAM, {
      channelId: BILLING_CHANNEL,
      occurrenceId: run.occurrence.id,
      scheduledFor: run.occurrence.at.toISOString(),
      state: 'posting',
      attempts: 1,
      firstAttemptAt: crashedAt,
      claimedAt: crashedAt,
      postAttemptedAt: crashedAt,
      updatedAt: crashedAt,
    });
    const client = await h.clientFor(TEAM);
    await postTagged(client, BILLING_CHANNEL, { text: 'the first post', blocks: [] }, DIGEST_EVENT_TYPE, id);
    h.clock.advance(6 * 60_000);

    expect((await runner.runScheduled(run)).status).toBe('reconciled');
    expect(h.standIn.uploadedFiles()).toEqual([]);
    expect(h.standIn.calls('files.getUploadURLExternal')).toEqual([]);
  });

  it('`digest now` answers without waiting for the chart, which follows in the thread', async () => {
    const runner = chartRunner();
    const outcome = await runner.runNow(TEAM, BILLING_CHANNEL);
    if (outcome.status !== 'posted') throw new Error(`expected a post, got ${outcome.status}`);
    expect(h.standIn.uploadedFiles()).toEqual([]);
    await runner.drain();
    expect(h.standIn.uploadedFiles().map((file) => [file.channel, file.threadTs])).toEqual([
      [BILLING_CHANNEL, outcome.ts],
    ]);
  });
});
