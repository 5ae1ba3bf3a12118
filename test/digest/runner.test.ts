import { status } from '@grpc/grpc-js';
import { formatMoney } from '../../src/blocks/format';
import { KEY_REJECTED_SENTENCE } from '../../src/digest/failures';
import { latestDueOccurrence } from '../../src/digest/occurrences';
import type { DigestRunner, ScheduledRun } from '../../src/digest/runner';
import { DIGEST_EVENT_TYPE, NOTICE_EVENT_TYPE, runClaimKey } from '../../src/digest/runs';
import type { DigestSchedule } from '../../src/digest/schedules';
import { postTagged } from '../../src/posting/tagged-message';
import { BILLING_CHANNEL, type Harness, startHarness, TEAM } from './harness';

/** Monday Nov 23, 2026, 09:00:20 in Berlin: twenty seconds after a Monday 09:00 digest fell due. */
const START = '2026-11-23T08:00:20Z';
const DUE = new Date('2026-11-23T08:00:00Z');
const HOUR = 60 * 60_000;

describe('DigestRunner', () => {
  let h: Harness;
  let runner: DigestRunner;
  let schedule: DigestSchedule;

  beforeEach(async () => {
    h = await startHarness({ start: START });
    await h.connect(TEAM);
    schedule = await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    runner = h.newRunner();
  });

  afterEach(async () => {
    await h.stop();
  });

  function due(graceMs = 24 * HOUR): ScheduledRun {
    const occurrence = latestDueOccurrence(schedule, h.clock.now());
    return { ref: TEAM, schedule, occurrence, graceEndsAt: new Date(occurrence.at.getTime() + graceMs) };
  }

  it('posts the digest once, tagged with its run, with the emulator’s numbers, and records it', async () => {
    const run = due();
    expect(run.occurrence.at).toEqual(DUE);
    expect(run.occurrence.id).toBe('2026-W48');

    const outcome = await runner.runScheduled(run);
    expect(outcome).toEqual({ status: 'posted', ts: expect.any(String), late: false });

    const posted = h.standIn.messagesIn(BILLING_CHANNEL);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.metadata).toEqual({
      event_type: DIGEST_EVENT_TYPE,
      event_payload: { run_id: `${BILLING_CHANNEL}:2026-W48` },
    });
    const org = h.emulator.orgs[0];
    if (!org) throw new Error('no org');
    const usage = await h.billing.getCurrentMonthUsage({ id: org.apiKeyId, key: org.apiKey }, org.orgId);
    expect(posted[0]?.text).toContain(`${formatMoney(usage.subtotal)} month to date`);
    expect(posted[0]?.text).toContain('First digest');

    const record = await runner.runs.get(TEAM, BILLING_CHANNEL, '2026-W48');
    expect(record).toMatchObject({ state: 'posted', messageTs: posted[0]?.ts, attempts: 1, late: false });
    expect(record?.postAttemptedAt).toBeUndefined();
    const history = await runner.snapshots.history(TEAM, org.orgId);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      source: 'digest',
      subtotal: usage.subtotal,
      takenAt: h.clock.now().toISOString(),
    });

    // A second attempt at the same week finds the record and does nothing.
    expect(await runner.runScheduled(run)).toEqual({ status: 'already-done', state: 'posted' });
    expect(h.standIn.messagesIn(BILLING_CHANNEL)).toHaveLength(1);
  });

  it('waits while another process holds the claim, and posts once after a crashed holder’s claim expires', async () => {
    const run = due();
    const key = runClaimKey(TEAM, BILLING_CHANNEL, run.occurrence.id);
    expect(await h.store.claims.claim(key, 'replica-that-crashed', 5 * 60_000)).toBe(true);

    expect(await runner.runScheduled(run)).toEqual({ status: 'busy' });
    expect(h.standIn.messagesIn(BILLING_CHANNEL)).toHaveLength(0);

    h.clock.advance(5 * 60_000 + 1);
    expect((await runner.runScheduled(run)).status).toBe('posted');
    expect(await runner.runScheduled(run)).toEqual({ status: 'already-done', state: 'posted' });
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
  });

  it('after a crash between post and record, finds its message through conversations.history instead of posting again', async () => {
    const run = due();
    const id = `${BILLING_CHANNEL}:${run.occurrence.id}`;
    const crashedAt = h.clock.now();
    // The crashed replica wrote 'posting', posted, and died before writing 'posted'.
    await runner.runs.put(TEAM, {
      channelId: BILLING_CHANNEL,
      occurrenceId: run.occurrence.id,
      scheduledFor: run.occurrence.at.toISOString(),
      state: 'posting',
      attempts: 1,
      firstAttemptAt: crashedAt.toISOString(),
      claimedAt: crashedAt.toISOString(),
      postAttemptedAt: crashedAt.toISOString(),
      updatedAt: crashedAt.toISOString(),
    });
    const client = await h.clientFor(TEAM);
    const ts = await postTagged(client, BILLING_CHANNEL, { text: 'the first post', blocks: [] }, DIGEST_EVENT_TYPE, id);
    // Someone else talks in the channel afterwards.
    await client.chat.postMessage({ channel: BILLING_CHANNEL, text: 'unrelated message' });

    h.clock.advance(6 * 60_000);
    expect(await runner.runScheduled(run)).toEqual({ status: 'reconciled', ts });
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id)).toMatchObject({
      state: 'posted',
      messageTs: ts,
    });

    expect(h.historyCalls()).toHaveLength(1);
    expect(h.historyCalls()[0]).toMatchObject({
      channel: BILLING_CHANNEL,
      include_all_metadata: 'true',
      limit: '20',
      oldest: String(Math.floor(crashedAt.getTime() / 1000) - 120),
    });
    // The reconciled week still leaves a snapshot for next week's comparison.
    const org = h.emulator.orgs[0];
    expect(await runner.snapshots.history(TEAM, org?.orgId ?? '')).toHaveLength(1);
  });

  it('after a crash before the post went out, looks, finds nothing, and posts once', async () => {
    const run = due();
    const crashedAt = h.clock.now().toISOString();
    await runner.runs.put(TEAM, {
      channelId: BILLING_CHANNEL,
      occurrenceId: run.occurrence.id,
      scheduledFor: run.occurrence.at.toISOString(),
      state: 'posting',
      attempts: 1,
      firstAttemptAt: crashedAt,
      postAttemptedAt: crashedAt,
      updatedAt: crashedAt,
    });
    h.clock.advance(60_000);
    const outcome = await runner.runScheduled(run);
    expect(outcome.status).toBe('posted');
    expect(h.historyCalls()).toHaveLength(1);
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id)).toMatchObject({
      state: 'posted',
      attempts: 2,
    });
  });

  it('tells the channel once when the Viam key was revoked, and never posts the digest', async () => {
    h.emulator.knobs.revokeKey(h.emulator.orgs[0]?.apiKeyId ?? '');
    const run = due();
    expect(await runner.runScheduled(run)).toEqual({ status: 'failed', code: 'viam_unauthenticated', notified: true });
    expect(await runner.runScheduled(run)).toEqual({ status: 'already-done', state: 'failed' });

    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(0);
    const notices = h.noticesIn(BILLING_CHANNEL);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain("This week's Viam digest could not be prepared:");
    expect(notices[0]?.text).toContain('the Viam key was revoked or lost access, an admin must reconnect');
    expect(KEY_REJECTED_SENTENCE).toContain('an admin must reconnect');
    expect(h.log.text()).toContain('digest failed; the channel was told once');
    expect(h.log.text()).not.toContain(h.emulator.orgs[0]?.apiKey);
  });

  it('tells the channel once when the org was disconnected', async () => {
    await h.store.workspaces.disconnectOrg(TEAM, 'acme');
    const outcome = await runner.runScheduled(due());
    expect(outcome).toEqual({ status: 'failed', code: 'org_disconnected', notified: true });
    expect(h.noticesIn(BILLING_CHANNEL)[0]?.text).toContain('no longer connected');
  });

  it('logs, and posts nothing, when the channel is archived or the bot was removed', async () => {
    h.standIn.workspace.setArchived(BILLING_CHANNEL);
    expect(await runner.runScheduled(due())).toEqual({ status: 'failed', code: 'slack_is_archived', notified: false });
    expect(h.standIn.messagesIn(BILLING_CHANNEL)).toHaveLength(0);
    expect(h.log.text()).toContain('digest failed; no notice can be posted in this channel');

    const finance = await h.schedule(TEAM, {
      channelId: 'G0FINANCE0',
      weekday: 'mon',
      time: '09:00',
      timeZone: 'Europe/Berlin',
    });
    h.standIn.workspace.removeChannelMember('G0FINANCE0', h.standIn.defaultTeam.botUserId);
    const occurrence = latestDueOccurrence(finance, h.clock.now());
    const outcome = await runner.runScheduled({
      ref: TEAM,
      schedule: finance,
      occurrence,
      graceEndsAt: new Date(occurrence.at.getTime() + HOUR),
    });
    expect(outcome).toEqual({ status: 'failed', code: 'slack_not_in_channel', notified: false });
  });

  it('retries a transient Viam failure with backoff and posts on a later attempt', async () => {
    // The client itself tries three times; all three fail.
    h.emulator.knobs.failNext('GetCurrentMonthUsage', 3, status.UNAVAILABLE);
    const run = due();
    const first = await runner.runScheduled(run);
    expect(first).toEqual({
      status: 'retry-scheduled',
      nextAttemptAt: new Date(h.clock.nowMs() + 60_000),
      code: 'viam_unavailable',
    });
    expect(await runner.runScheduled(run)).toEqual({
      status: 'waiting',
      nextAttemptAt: new Date(h.clock.nowMs() + 60_000),
    });

    h.clock.advance(60_000);
    expect(await runner.runScheduled(run)).toMatchObject({ status: 'posted', late: false });
    expect(await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id)).toMatchObject({
      state: 'posted',
      attempts: 2,
    });
    expect(h.historyCalls()).toHaveLength(0);
  });

  it('keeps retrying through the grace window, then posts one notice instead of silence', async () => {
    h.emulator.knobs.failNext('GetInvoicesSummary', 10_000, status.UNAVAILABLE);
    const run = due(3 * HOUR);
    const delays: number[] = [];
    let outcome = await runner.runScheduled(run);
    while (outcome.status === 'retry-scheduled') {
      const wait = outcome.nextAttemptAt.getTime() - h.clock.nowMs();
      delays.push(wait);
      h.clock.advance(wait);
      outcome = await runner.runScheduled(run);
    }
    expect(delays).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000]);
    expect(outcome).toEqual({ status: 'failed', code: 'retries_exhausted:viam_unavailable', notified: true });
    expect(await runner.runScheduled(run)).toEqual({ status: 'already-done', state: 'failed' });
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(0);
    const notices = h.noticesIn(BILLING_CHANNEL);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain('Viam could not be reached');
  });

  it('checks the channel before retrying a post whose answer was lost (Slack 5xx)', async () => {
    h.standIn.serverErrorNext('chat.postMessage', 503);
    const run = due();
    const first = await runner.runScheduled(run);
    expect(first.status).toBe('retry-scheduled');
    expect(await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id)).toMatchObject({
      state: 'retrying',
      failure: 'slack_http_error',
      postAttemptedAt: expect.any(String),
    });
    h.clock.advance(60_000);
    expect((await runner.runScheduled(run)).status).toBe('posted');
    expect(h.historyCalls()).toHaveLength(1);
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
  });

  it('looks for a post whose answer was lost even when the grace window closes meanwhile', async () => {
    h.standIn.serverErrorNext('chat.postMessage', 502);
    const run = due(30_000);
    expect((await runner.runScheduled(run)).status).toBe('retry-scheduled');
    h.clock.advance(60_000);
    expect(await runner.runScheduled(run)).toEqual({
      status: 'failed',
      code: 'retries_exhausted:slack_http_error',
      notified: true,
    });
    expect(h.historyCalls()).toHaveLength(1);
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(0);
    expect(h.noticesIn(BILLING_CHANNEL)[0]?.text).toContain('Slack did not take the message, even after retrying');
  });

  it('honours Slack 429 through the Web API client’s own retry', async () => {
    await h.stop();
    h = await startHarness({
      start: START,
      webClient: { retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 } },
    });
    await h.connect(TEAM);
    schedule = await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    runner = h.newRunner();
    h.standIn.rateLimitNext('chat.postMessage', 0);

    expect((await runner.runScheduled(due())).status).toBe('posted');
    const attempts = h.standIn.calls('chat.postMessage');
    expect(attempts.map((call) => call.status)).toEqual([429, 200]);
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
  });

  it('marks a digest late when its first attempt comes long after the scheduled time', async () => {
    h.clock.set('2026-11-23T11:30:00Z');
    const outcome = await runner.runScheduled(due());
    expect(outcome).toMatchObject({ status: 'posted', late: true });
    const [digest] = h.digestsIn(BILLING_CHANNEL);
    expect(JSON.stringify(digest?.blocks)).toContain('(delayed: the app was offline at the scheduled time)');
  });

  it('records a missed week as skipped, with a log line, once the grace window is over', async () => {
    h.clock.set('2026-11-24T08:00:01Z');
    const run = due(24 * HOUR);
    expect(await runner.runScheduled(run)).toEqual({ status: 'skipped' });
    expect(await runner.runs.get(TEAM, BILLING_CHANNEL, '2026-W48')).toMatchObject({ state: 'skipped' });
    expect(h.standIn.messagesIn(BILLING_CHANNEL)).toHaveLength(0);
    expect(h.log.text()).toContain('digest skipped: missed by more than the grace window');
  });

  it('finishes an interrupted notice without posting it twice', async () => {
    const run = due();
    const at = h.clock.now().toISOString();
    await runner.runs.put(TEAM, {
      channelId: BILLING_CHANNEL,
      occurrenceId: run.occurrence.id,
      scheduledFor: run.occurrence.at.toISOString(),
      state: 'notifying',
      attempts: 1,
      failure: 'viam_unauthenticated',
      failureSentence: KEY_REJECTED_SENTENCE,
      noticeAttemptedAt: at,
      updatedAt: at,
    });
    const client = await h.clientFor(TEAM);
    const ts = await postTagged(
      client,
      BILLING_CHANNEL,
      { text: 'notice', blocks: [] },
      NOTICE_EVENT_TYPE,
      `${BILLING_CHANNEL}:${run.occurrence.id}`,
    );
    expect(await runner.runScheduled(run)).toEqual({ status: 'failed', code: 'viam_unauthenticated', notified: true });
    expect(h.noticesIn(BILLING_CHANNEL)).toHaveLength(1);
    expect(await runner.runs.get(TEAM, BILLING_CHANNEL, run.occurrence.id)).toMatchObject({
      state: 'failed',
      noticeTs: ts,
    });
  });

  it('lets the same channel’s record from ten weeks earlier go, keeping a bounded history', async () => {
    const old = {
      channelId: BILLING_CHANNEL,
      scheduledFor: '2026-09-14T07:00:00.000Z',
      state: 'posted' as const,
      attempts: 1,
      updatedAt: '2026-09-14T07:00:00.000Z',
    };
    await runner.runs.put(TEAM, { ...old, occurrenceId: '2026-W38' });
    await runner.runs.put(TEAM, { ...old, occurrenceId: '2026-W39' });
    expect((await runner.runScheduled(due())).status).toBe('posted');
    expect((await runner.runs.listFor(TEAM)).map((run) => run.occurrenceId).sort()).toEqual(['2026-W39', '2026-W48']);
  });

  it('never throws when the store is gone, and posts nothing', async () => {
    await h.store.close();
    const outcome = await runner.runScheduled(due());
    expect(outcome).toEqual({ status: 'error', code: 'store_unavailable' });
    expect(h.standIn.messagesIn(BILLING_CHANNEL)).toHaveLength(0);
    expect(await runner.runNow(TEAM, BILLING_CHANNEL)).toMatchObject({ status: 'failed', transient: true });
  });

  it('keeps secrets out of logs and messages', async () => {
    h.emulator.knobs.revokeKey(h.emulator.orgs[0]?.apiKeyId ?? '');
    await runner.runScheduled(due());
    await runner.runNow(TEAM, 'C0GENERAL0');
    const secret = h.emulator.orgs[0]?.apiKey ?? 'missing';
    const everything = [h.log.text(), JSON.stringify(h.standIn.messagesIn(BILLING_CHANNEL))].join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(h.standIn.defaultTeam.botToken);
  });

  describe('runNow', () => {
    it('posts at once with the channel’s schedule, leaving the weekly bookkeeping alone', async () => {
      const outcome = await runner.runNow(TEAM, BILLING_CHANNEL);
      expect(outcome).toEqual({ status: 'posted', ts: expect.any(String) });
      const [digest] = h.digestsIn(BILLING_CHANNEL);
      expect(JSON.stringify(digest?.blocks)).toContain('Every Monday at 09:00 (Europe/Berlin)');
      expect(await runner.runs.listFor(TEAM)).toEqual([]);
      expect(await runner.snapshots.history(TEAM, h.emulator.orgs[0]?.orgId ?? '')).toEqual([]);
      // The week's scheduled digest still goes out.
      expect((await runner.runScheduled(due())).status).toBe('posted');
    });

    it('uses the default org and the given zone in a channel without a schedule', async () => {
      const outcome = await runner.runNow(TEAM, 'C0GENERAL0', { timeZone: 'Asia/Kolkata' });
      expect(outcome.status).toBe('posted');
      const [digest] = h.digestsIn('C0GENERAL0');
      expect(JSON.stringify(digest?.blocks)).toContain('times in Asia/Kolkata');
      expect(JSON.stringify(digest?.blocks)).toContain('No weekly digest here yet');
    });

    it('answers with a sentence when it cannot post', async () => {
      expect(await runner.runNow(TEAM, 'C0RANDOM00')).toMatchObject({
        status: 'failed',
        code: 'slack_not_in_channel',
        transient: false,
        sentence: expect.stringContaining('/invite'),
      });
      await h.store.workspaces.disconnectOrg(TEAM, 'acme');
      expect(await runner.runNow(TEAM, 'C0GENERAL0')).toMatchObject({ status: 'failed', code: 'no_org' });
    });
  });
});
