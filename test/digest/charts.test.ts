/**
 * The chart queue: a posted digest queues its spend chart, which the queue's tick draws and shares into
 * the digest's thread exactly once, after every text digest due. Real emulator (gRPC), Slack stand-in
 * (HTTP) and SQLite store.
 */
import { PNG } from 'pngjs';
import { Agent } from 'undici';
import { Budgets } from '../../src/budgets/budgets';
import { CHART_QUEUE, type ChartReport, DigestCharts, type DigestChartsOptions } from '../../src/digest/charts';
import { latestDueOccurrence } from '../../src/digest/occurrences';
import { ChannelPacer } from '../../src/digest/pacing';
import type { DigestRunner, ScheduledRun } from '../../src/digest/runner';
import { DIGEST_EVENT_TYPE } from '../../src/digest/runs';
import type { DigestSchedule } from '../../src/digest/schedules';
import { postTagged } from '../../src/posting/tagged-message';
import { completeFileShare, uploadFileBytes } from '../../src/services/file-upload';
import { digestChartDrawing } from '../../src/services/spend-chart';
import { ADA, BILLING_CHANNEL, type Harness, startHarness, TEAM } from './harness';

/** The upload host's transport, as the app's outbound dispatcher is with no proxy set. */
const uploads = new Agent();

/** Monday Nov 23, 2026, twenty seconds after a Monday 09:00 Berlin digest fell due. */
const START = '2026-11-23T08:00:20Z';
const MEMBER = (occurrenceId: string, channelId = BILLING_CHANNEL) =>
  `ws:${TEAM.teamId}:digest-chart:${channelId}:${occurrenceId}`;

describe('the digest chart queue', () => {
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

  function chartRunner(options: Partial<DigestChartsOptions> = {}): { runner: DigestRunner; charts: DigestCharts } {
    const budgetFor = (ref: typeof TEAM, orgId: string) => budgets.amountFor(ref, orgId);
    const pacer = new ChannelPacer({ now: h.clock.now, sleep: h.sleep });
    const charts = new DigestCharts({
      store: h.store,
      clientFor: h.clientFor,
      dispatcher: uploads,
      draw: digestChartDrawing({ store: h.store, budgetFor }),
      pacer,
      logger: h.log.logger,
      now: h.clock.now,
      ...options,
    });
    return { runner: h.newRunner({ budgetFor, pacer, charts }), charts };
  }

  function due(forSchedule = schedule): ScheduledRun {
    const occurrence = latestDueOccurrence(forSchedule, h.clock.now());
    return {
      ref: TEAM,
      schedule: forSchedule,
      occurrence,
      graceEndsAt: new Date(occurrence.at.getTime() + 24 * 60 * 60_000),
    };
  }

  const statuses = (reports: ChartReport[]) => reports.map((report) => report.outcome.status);
  const filesInThread = (threadTs: string) =>
    h.standIn.uploadedFiles().filter((file) => file.channel === BILLING_CHANNEL && file.threadTs === threadTs);

  it('queues the chart with the digest and shares it into the thread at the queue’s tick, budget drawn', async () => {
    const org = h.emulator.orgs[0];
    if (!org) throw new Error('no org');
    await budgets.set(TEAM, {
      orgId: org.orgId,
      amount: 900,
      channelId: BILLING_CHANNEL,
      setBy: ADA,
      setAt: h.clock.now().toISOString(),
    });
    const { runner, charts } = chartRunner();
    const run = due();
    const outcome = await runner.runScheduled(run);
    if (outcome.status !== 'posted') throw new Error(`expected a post, got ${outcome.status}`);
    // Posting the digest only queued its chart.
    expect(h.standIn.uploadedFiles()).toEqual([]);
    expect((await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id))?.chart).toMatchObject({
      state: 'pending',
      orgLabel: 'acme',
      timeZone: 'Europe/Berlin',
      attempts: 0,
    });
    expect(await h.store.due.get(CHART_QUEUE, MEMBER(run.occurrence.id))).toBeDefined();

    expect(statuses(await charts.tick())).toEqual(['posted']);
    const [file, ...others] = filesInThread(outcome.ts);
    expect(others).toEqual([]);
    expect(file).toMatchObject({ filename: 'acme-spend-2026-11.png' });
    expect(file?.initialComment).toMatch(/^Spend chart of acme: \$[\d,.]+ month to date \(1–23 Nov 2026\)\./);
    expect(file?.initialComment).toContain('Budget $900.00');
    const png = PNG.sync.read(file?.bytes ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([800, 450]);
    const [urlCall] = h.standIn.calls('files.getUploadURLExternal');
    expect(String(urlCall?.args.alt_text)).toContain('Budget $900.00');
    // No snapshots yet: the queued chart kept the months Viam had invoiced and drew them.
    expect(String(urlCall?.args.alt_text)).toMatch(/Invoiced months, with tax and credits: .*Oct 2026 \$[\d,.]+\./);
    expect(file?.initialComment).toMatch(/Viam invoiced \$[\d,.]+ for October 2026 \(with tax and credits\)\./);
    expect((await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id))?.chart).toMatchObject({
      state: 'posted',
      fileId: file?.id,
      attempts: 1,
    });
    // Only the digest is a top-level message; the chart lives in its thread, and the queue is empty.
    expect(h.standIn.messagesIn(BILLING_CHANNEL).filter((message) => !message.threadTs)).toHaveLength(1);
    expect(await h.store.due.get(CHART_QUEUE, MEMBER(run.occurrence.id))).toBeUndefined();
    expect(await charts.tick()).toEqual([]);
    expect(h.standIn.uploadedFiles()).toHaveLength(1);
  });

  it('takes no chart while a digest tick runs, so every text digest due goes out first', async () => {
    const { runner, charts } = chartRunner();
    const first = await runner.runScheduled(due());
    if (first.status !== 'posted') throw new Error(`expected a post, got ${first.status}`);
    const other = h.standIn.workspace.addChannel(TEAM.teamId, { name: 'ops', botIsMember: true }).id;
    await runner.schedules.set(TEAM, { ...schedule, channelId: other });
    const scheduler = h.newScheduler({ runner });

    const digestTick = scheduler.tick();
    expect(await charts.tick()).toEqual([]);
    const ran = (await digestTick).runs.map((run) => [run.channelId, run.outcome.status]);
    expect(ran.sort()).toEqual([
      [BILLING_CHANNEL, 'already-done'],
      [other, 'posted'],
    ]);
    expect(h.standIn.uploadedFiles()).toEqual([]);

    expect(statuses(await charts.tick())).toEqual(['posted', 'posted']);
    expect(h.standIn.uploadedFiles().map((file) => file.channel)).toEqual([BILLING_CHANNEL, other]);
  });

  it('finds a share left in doubt in the thread instead of sharing a second copy', async () => {
    const { runner, charts } = chartRunner();
    const run = due();
    const outcome = await runner.runScheduled(run);
    if (outcome.status !== 'posted') throw new Error(`expected a post, got ${outcome.status}`);
    // An earlier attempt shared the file, then died before recording it.
    const client = await h.clientFor(TEAM);
    const share = { client, channelId: BILLING_CHANNEL, threadTs: outcome.ts, title: 'chart', what: 'a chart' };
    const fileId = await uploadFileBytes({
      client,
      dispatcher: uploads,
      file: Buffer.from('png'),
      filename: 'chart.png',
    });
    await completeFileShare({ ...share, logger: h.log.logger }, fileId);
    await markAttempted(runner, run, fileId);

    expect(statuses(await charts.tick())).toEqual(['reconciled']);
    expect(filesInThread(outcome.ts).map((file) => file.id)).toEqual([fileId]);
    expect((await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id))?.chart).toMatchObject({
      state: 'posted',
      fileId,
    });
  });

  it('shares afresh when the file of an attempt in doubt never reached the thread', async () => {
    const { runner, charts } = chartRunner();
    const run = due();
    const outcome = await runner.runScheduled(run);
    if (outcome.status !== 'posted') throw new Error(`expected a post, got ${outcome.status}`);
    const client = await h.clientFor(TEAM);
    const lost = await uploadFileBytes({
      client,
      dispatcher: uploads,
      file: Buffer.from('png'),
      filename: 'chart.png',
    });
    await markAttempted(runner, run, lost);

    expect(statuses(await charts.tick())).toEqual(['posted']);
    const files = filesInThread(outcome.ts);
    expect(files).toHaveLength(1);
    expect(files[0]?.id).not.toBe(lost);
    expect(h.standIn.calls('conversations.replies')).toHaveLength(1);
  });

  it('retries a transient failure with backoff, looks for the attempt first, then shares once', async () => {
    const { runner, charts } = chartRunner({ retryBaseMs: 60_000 });
    const run = due();
    const outcome = await runner.runScheduled(run);
    if (outcome.status !== 'posted') throw new Error(`expected a post, got ${outcome.status}`);
    h.standIn.failNext('files.completeUploadExternal', 'service_unavailable');

    const [retry] = await charts.tick();
    expect(retry?.outcome).toMatchObject({ status: 'retry', code: 'slack_service_unavailable' });
    expect(h.standIn.uploadedFiles()).toEqual([]);
    const waiting = (await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id))?.chart;
    expect(waiting).toMatchObject({ state: 'posting', attempts: 1, failure: 'slack_service_unavailable' });
    expect(await charts.tick()).toEqual([]);

    h.clock.advance(61_000);
    expect(statuses(await charts.tick())).toEqual(['posted']);
    expect(filesInThread(outcome.ts)).toHaveLength(1);
    expect(h.standIn.calls('conversations.replies')).toHaveLength(1);
    expect((await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id))?.chart).toMatchObject({
      state: 'posted',
      attempts: 2,
    });
  });

  it('ends the chart on a permanent failure, logged, and the digest stays posted once', async () => {
    const { runner, charts } = chartRunner();
    const run = due();
    expect((await runner.runScheduled(run)).status).toBe('posted');
    h.standIn.failNext('files.getUploadURLExternal', 'file_uploads_disabled');

    expect(statuses(await charts.tick())).toEqual(['failed']);
    expect(h.standIn.uploadedFiles()).toEqual([]);
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(h.log.entries()).toContainEqual(
      expect.objectContaining({
        msg: 'the chart of a posted digest failed; the digest stands',
        code: 'slack_file_uploads_disabled',
      }),
    );
    expect(await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id)).toMatchObject({
      state: 'posted',
      chart: { state: 'failed', failure: 'slack_file_uploads_disabled' },
    });
    expect(await charts.tick()).toEqual([]);
    expect(await runner.runScheduled(run)).toEqual({ status: 'already-done', state: 'posted' });
  });

  it('queues no chart for a run reconciled after a crash', async () => {
    const { runner, charts } = chartRunner();
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
    expect(await charts.tick()).toEqual([]);
    expect(h.standIn.calls('files.getUploadURLExternal')).toEqual([]);
  });

  it('`digest now` answers without waiting for the chart, which follows in the thread', async () => {
    const { runner } = chartRunner();
    const outcome = await runner.runNow(TEAM, BILLING_CHANNEL);
    if (outcome.status !== 'posted') throw new Error(`expected a post, got ${outcome.status}`);
    expect(h.standIn.uploadedFiles()).toEqual([]);
    await runner.drain();
    expect(h.standIn.uploadedFiles().map((file) => [file.channel, file.threadTs])).toEqual([
      [BILLING_CHANNEL, outcome.ts],
    ]);
  });
});

/** The run's chart as an attempt that shared (or tried to share) `fileId` and died before recording it. */
async function markAttempted(runner: DigestRunner, run: ScheduledRun, fileId: string): Promise<void> {
  const record = await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id);
  if (!record?.chart) throw new Error('no chart queued');
  const attemptedAt = new Date().toISOString();
  await runner.runs.put(TEAM, {
    ...record,
    chart: { ...record.chart, state: 'posting', fileId, attemptedAt, attempts: 1 },
  });
}
