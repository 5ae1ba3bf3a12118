import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { z } from 'zod';
import { LATE_NOTE } from '../../src/blocks/digest';
import { DIGEST_EVENT_TYPE, runClaimKey } from '../../src/digest/runs';
import { DIGEST_QUEUE, digestMember } from '../../src/digest/schedules';
import type { WeeklyTime } from '../../src/digest/weekly-time';
import { GetCurrentMonthUsageResponse, SourceType } from '../../src/gen/viam/app/v1/billing';
import { postTagged } from '../../src/posting/tagged-message';
import type { WorkspaceRef } from '../../src/store';
import { BILLING_CHANNEL, type Harness, startHarness, TEAM } from './harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('DigestScheduler', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ start: '2026-11-22T12:00:00Z' });
    await h.connect(TEAM);
  });

  afterEach(async () => {
    await h.stop();
  });

  /** A public channel the bot is in, one per zone under test. */
  function channel(name: string): string {
    return h.standIn.workspace.addChannel(TEAM.teamId, { name, botIsMember: true }).id;
  }

  const postedAt = (channelId: string) =>
    h.digestsIn(channelId).map((message) => Number(message.ts.split('.')[0]) * 1000);

  /** When the due index says the channel's digest is next due. */
  const dueAt = async (channelId: string, ref: WorkspaceRef = TEAM) =>
    (await h.store.due.get(DIGEST_QUEUE, digestMember(ref, channelId)))?.toISOString();

  it('fires each schedule at its own instant in several zones, once', async () => {
    const zones: Array<[string, string]> = [
      ['Pacific/Auckland', '2026-11-22T20:00:00Z'],
      ['Asia/Kolkata', '2026-11-23T03:30:00Z'],
      ['Europe/Berlin', '2026-11-23T08:00:00Z'],
      ['America/Los_Angeles', '2026-11-23T17:00:00Z'],
    ];
    const channels = new Map<string, string>();
    for (const [zone] of zones) {
      const id = channel(zone.toLowerCase().replace(/[^a-z]/g, '-'));
      channels.set(zone, id);
      await h.schedule(TEAM, { channelId: id, weekday: 'mon', time: '09:00', timeZone: zone });
    }
    const scheduler = h.newScheduler();

    for (const [zone, instant] of zones) {
      const id = channels.get(zone) as string;
      h.clock.set(new Date(Date.parse(instant) - MINUTE));
      await scheduler.tick();
      expect(h.digestsIn(id)).toHaveLength(0);
      h.clock.set(instant);
      const report = await scheduler.tick();
      expect(report.runs.map((run) => [run.channelId, run.outcome.status])).toEqual([[id, 'posted']]);
      expect(postedAt(id)).toEqual([Date.parse(instant)]);
    }
    // Each one is due again a week later; later ticks the same week (of this replica or a fresh one) take nothing.
    for (const [zone, instant] of zones) {
      expect(await dueAt(channels.get(zone) as string)).toBe(
        new Date(Date.parse(instant) + 7 * 24 * HOUR).toISOString(),
      );
    }
    h.clock.set('2026-11-26T12:00:00Z');
    expect((await scheduler.tick()).runs).toEqual([]);
    expect((await h.newScheduler().tick()).runs).toEqual([]);
    for (const id of channels.values()) expect(h.digestsIn(id)).toHaveLength(1);
  });

  /** Ticks once a minute from `from` to `to` and returns the instants digests were posted in `channelId`. */
  async function tickEveryMinute(channelId: string, from: string, to: string): Promise<number[]> {
    const scheduler = h.newScheduler();
    for (let at = Date.parse(from); at <= Date.parse(to); at += MINUTE) {
      h.clock.set(new Date(at));
      await scheduler.tick();
    }
    return postedAt(channelId);
  }

  // The clock is set before each schedule: a schedule's due time is worked out when it is saved.
  it('posts 02:30 on a spring-forward night once, at 03:00 local (EU and US)', async () => {
    h.clock.set('2026-03-29T00:20:00Z');
    await h.schedule(TEAM, { weekday: 'sun', time: '02:30', timeZone: 'Europe/Berlin' });
    expect(await tickEveryMinute(BILLING_CHANNEL, '2026-03-29T00:20:00Z', '2026-03-29T01:40:00Z')).toEqual([
      Date.parse('2026-03-29T01:00:00Z'),
    ]);
    const us = channel('us-spring');
    h.clock.set('2027-03-14T06:20:00Z');
    await h.schedule(TEAM, { channelId: us, weekday: 'sun', time: '02:30', timeZone: 'America/New_York' });
    expect(await tickEveryMinute(us, '2027-03-14T06:20:00Z', '2027-03-14T07:40:00Z')).toEqual([
      Date.parse('2027-03-14T07:00:00Z'),
    ]);
  });

  it('posts 02:30 on a fall-back night once, at the first 02:30', async () => {
    h.clock.set('2026-10-25T00:20:00Z');
    await h.schedule(TEAM, { weekday: 'sun', time: '02:30', timeZone: 'Europe/Berlin' });
    expect(await tickEveryMinute(BILLING_CHANNEL, '2026-10-25T00:20:00Z', '2026-10-25T01:40:00Z')).toEqual([
      Date.parse('2026-10-25T00:30:00Z'),
    ]);
  });

  it('posts 09:00 local on both sides of a DST change', async () => {
    h.clock.set('2026-10-26T15:59:00Z');
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'America/Los_Angeles' });
    const scheduler = h.newScheduler();
    for (const instant of [
      '2026-10-26T15:59:00Z',
      '2026-10-26T16:00:00Z',
      '2026-11-02T16:00:00Z',
      '2026-11-02T17:00:00Z',
    ]) {
      h.clock.set(instant);
      await scheduler.tick();
    }
    expect(postedAt(BILLING_CHANNEL)).toEqual([Date.parse('2026-10-26T16:00:00Z'), Date.parse('2026-11-02T17:00:00Z')]);
  });

  it('after a restart inside the grace window, posts the missed digest once, marked late', async () => {
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    // The app was down from Sunday until Monday evening.
    h.clock.set('2026-11-23T19:45:00Z');
    const report = await h.newScheduler().tick();
    expect(report.runs.map((run) => run.outcome)).toEqual([{ status: 'posted', ts: expect.any(String), late: true }]);
    const [digest] = h.digestsIn(BILLING_CHANNEL);
    expect(digest?.text).toContain('Delayed: the app was offline at the scheduled time.');
    expect(JSON.stringify(digest?.blocks)).toContain(LATE_NOTE);
    h.clock.advance(MINUTE);
    expect((await h.newScheduler().tick()).runs).toEqual([]);
    expect(await dueAt(BILLING_CHANNEL)).toBe('2026-11-30T08:00:00.000Z');
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
  });

  it('after a restart outside the grace window, skips the week, logs it, and posts the next one', async () => {
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    h.clock.set('2026-11-24T08:00:01Z');
    const scheduler = h.newScheduler();
    expect((await scheduler.tick()).runs.map((run) => run.outcome)).toEqual([{ status: 'skipped' }]);
    expect(h.standIn.messagesIn(BILLING_CHANNEL)).toHaveLength(0);
    expect(h.log.text()).toContain('digest skipped: missed by more than the grace window');
    expect(await h.newRunner().runs.get(TEAM, BILLING_CHANNEL, '2026-W48')).toMatchObject({ state: 'skipped' });
    expect((await scheduler.tick()).runs).toEqual([]);

    h.clock.set('2026-11-30T08:00:00Z');
    expect((await scheduler.tick()).runs.map((run) => run.outcome)).toEqual([
      { status: 'posted', ts: expect.any(String), late: false },
    ]);
  });

  it('takes the grace window from its options', async () => {
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    h.clock.set('2026-11-23T09:30:00Z');
    expect((await h.newScheduler({ graceMs: HOUR }).tick()).runs.map((run) => run.outcome.status)).toEqual(['skipped']);
  });

  it('does not fire a week whose time had passed when the schedule was set up', async () => {
    await h.schedule(TEAM, {
      weekday: 'mon',
      time: '09:00',
      timeZone: 'Europe/Berlin',
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    h.clock.set('2026-11-23T10:05:00Z');
    expect((await h.newScheduler().tick()).runs).toEqual([]);
    expect(h.standIn.messagesIn(BILLING_CHANNEL)).toHaveLength(0);
  });

  it('posts once after a replica crashed holding the claim, when the claim expires', async () => {
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    h.clock.set('2026-11-23T08:00:00Z');
    await h.store.claims.claim(runClaimKey(TEAM, BILLING_CHANNEL, '2026-W48'), 'crashed-replica', 5 * MINUTE);
    const scheduler = h.newScheduler();
    expect((await scheduler.tick()).runs.map((run) => run.outcome.status)).toEqual(['busy']);
    for (let minute = 1; minute <= 6; minute++) {
      h.clock.advance(MINUTE);
      await scheduler.tick();
    }
    expect(postedAt(BILLING_CHANNEL)).toEqual([Date.parse('2026-11-23T08:05:00Z')]);
  });

  it('after a crash between post and record, the restarted app records the post instead of repeating it', async () => {
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    h.clock.set('2026-11-23T08:00:00Z');
    const runner = h.newRunner();
    await runner.runs.put(TEAM, {
      channelId: BILLING_CHANNEL,
      occurrenceId: '2026-W48',
      scheduledFor: '2026-11-23T08:00:00.000Z',
      state: 'posting',
      attempts: 1,
      postAttemptedAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:00:00.000Z',
    });
    const ts = await postTagged(
      await h.clientFor(TEAM),
      BILLING_CHANNEL,
      { text: 'posted just before the crash', blocks: [] },
      DIGEST_EVENT_TYPE,
      `${BILLING_CHANNEL}:2026-W48`,
    );
    h.clock.set('2026-11-23T08:03:00Z');
    expect((await h.newScheduler().tick()).runs.map((run) => run.outcome)).toEqual([{ status: 'reconciled', ts }]);
    expect(h.digestsIn(BILLING_CHANNEL)).toHaveLength(1);
  });

  it('keeps week-over-week numbers right across a month boundary', async () => {
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    const orgId = h.emulator.orgs[0]?.orgId ?? '';
    const usage = (month: string, storage: number, compute: number) =>
      GetCurrentMonthUsageResponse.fromPartial({
        startDate: new Date(`${month}-01T00:00:00Z`),
        endDate: new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 1) - 1),
        subtotal: storage + compute,
        resourceUsageCostsBySource: [
          {
            sourceType: SourceType.SOURCE_TYPE_ORG,
            tierName: '',
            resourceUsageCosts: {
              usageCosts: [
                { resourceType: 6, cost: storage },
                { resourceType: 4, cost: compute },
              ],
              discount: 0,
              totalWithDiscount: storage + compute,
              totalWithoutDiscount: storage + compute,
            },
          },
        ],
      });
    const weeks: Array<[string, GetCurrentMonthUsageResponse]> = [
      ['2026-11-23T08:00:00Z', usage('2026-11', 500, 200)],
      ['2026-11-30T08:00:00Z', usage('2026-11', 600, 310)],
      ['2026-12-07T08:00:00Z', usage('2026-12', 100, 50)],
      ['2026-12-14T08:00:00Z', usage('2026-12', 200, 145)],
    ];
    const scheduler = h.newScheduler();
    for (const [instant, response] of weeks) {
      h.emulator.knobs.setUsageResponse(orgId, response);
      h.clock.set(instant);
      expect((await scheduler.tick()).runs.map((run) => run.outcome.status)).toEqual(['posted']);
    }
    const texts = h.digestsIn(BILLING_CHANNEL).map((message) => message.text ?? '');
    expect(texts).toHaveLength(4);
    expect(texts[0]).toContain('$700.00 month to date');
    expect(texts[0]).toContain('First digest: changes show from next week.');
    expect(texts[1]).toContain('$910.00 month to date');
    expect(texts[1]).toContain('+$210.00 (+30%) since Nov 23, 2026.');
    expect(texts[2]).toContain('$150.00 month to date (Dec 1 – Dec 31, 2026 · day 7 of 31).');
    expect(texts[2]).toContain('First digest of December: changes show from next week.');
    expect(texts[2]).not.toMatch(/-\$760/);
    expect(texts[3]).toContain('+$195.00 (+130%) since Dec 7, 2026.');
    const blocks = JSON.stringify(h.digestsIn(BILLING_CHANNEL)[3]?.blocks);
    expect(blocks).toContain('Binary data storage: $200.00 · +$100.00 (+100%)');
  });

  it('spaces posts to one channel a second apart, and leaves other channels alone', async () => {
    const scheduler = h.newScheduler();
    const start = h.clock.nowMs();
    for (let index = 0; index < 3; index++) {
      expect((await scheduler.runNow(TEAM, BILLING_CHANNEL)).status).toBe('posted');
    }
    expect(h.sleeps).toEqual([1000, 1000]);
    expect(postedAt(BILLING_CHANNEL)).toEqual([start, start + 1000, start + 2000]);

    // Another channel right away: no wait.
    expect((await scheduler.runNow(TEAM, 'C0GENERAL0')).status).toBe('posted');
    expect(h.sleeps).toHaveLength(2);

    // Concurrent requests each get their own slot.
    const outcomes = await Promise.all([1, 2, 3].map(() => scheduler.runNow(TEAM, 'G0FINANCE0')));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['posted', 'posted', 'posted']);
    expect(h.sleeps).toHaveLength(4);
  });

  it('moves on when one workspace hangs, and stop() waits for the straggler', async () => {
    // A Slack that accepts connections and never answers.
    const sockets = new Set<import('node:net').Socket>();
    const blackHole: Server = createServer(() => {});
    blackHole.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const hungUrl = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}/api/`;

    const hung: WorkspaceRef = { teamId: 'T0HUNG0000' };
    await h.connect(hung, 'acme', 1);
    await h.schedule(hung, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    const runner = h.newRunner({
      clientFor: async (ref) =>
        ref.teamId === hung.teamId
          ? new webApi.WebClient('xoxb-hung', { slackApiUrl: hungUrl, retryConfig: { retries: 0 } })
          : h.clientFor(ref),
    });
    const scheduler = h.newScheduler({ runner, runTimeoutMs: 300 });
    h.clock.set('2026-11-23T08:00:00Z');
    const report = await scheduler.tick();
    const byTeam = Object.fromEntries(report.runs.map((run) => [run.ref.teamId, run.outcome]));
    expect(byTeam).toEqual({
      [TEAM.teamId]: { status: 'posted', ts: expect.any(String), late: false },
      [hung.teamId]: { status: 'error', code: 'run_timeout' },
    });
    // A tick while the straggler still runs does not start it again.
    expect((await scheduler.tick()).runs).toEqual([]);

    const stopped = scheduler.stop();
    for (const socket of sockets) socket.destroy();
    await stopped;
    await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    expect(await runner.runs.get(hung, BILLING_CHANNEL, '2026-W48')).toMatchObject({ state: 'retrying' });
  });

  it('starts a minute job and stops cleanly', async () => {
    const scheduler = h.newScheduler();
    scheduler.start();
    scheduler.start();
    const ticking = scheduler.tick();
    await scheduler.stop();
    await expect(ticking).resolves.toMatchObject({ ran: true });
    expect(await scheduler.tick()).toEqual({ ran: false, runs: [] });
  });

  it('rejects nonsense options', () => {
    expect(() => h.newScheduler({ concurrency: 0 })).toThrow(RangeError);
    expect(() => h.newScheduler({ graceMs: -1 })).toThrow(RangeError);
  });

  it('takes only what is due, and writes back when it is due next', async () => {
    const schedule: WeeklyTime = { weekday: 'wed', time: '18:00', timeZone: 'Asia/Kolkata' };
    // Set up long ago, so last week's run (long past its grace window) is still looked at once.
    await h.schedule(TEAM, schedule);
    expect(await dueAt(BILLING_CHANNEL)).toBe('2026-11-18T12:30:00.000Z');
    const scheduler = h.newScheduler();
    h.clock.set('2026-11-25T12:29:00Z');
    expect((await scheduler.tick()).runs.map((run) => [run.occurrenceId, run.outcome.status])).toEqual([
      ['2026-W47', 'skipped'],
    ]);
    expect(await dueAt(BILLING_CHANNEL)).toBe('2026-11-25T12:30:00.000Z');
    h.clock.set('2026-11-25T12:29:59Z');
    expect((await scheduler.tick()).runs).toEqual([]);
    h.clock.set('2026-11-25T12:30:00Z');
    expect((await scheduler.tick()).runs.map((run) => [run.occurrenceId, run.outcome.status])).toEqual([
      ['2026-W48', 'posted'],
    ]);
    expect(await dueAt(BILLING_CHANNEL)).toBe('2026-12-02T12:30:00.000Z');
  });

  it('drops a due digest whose schedule is gone, and setting the schedule again makes it due', async () => {
    await h.schedule(TEAM, { weekday: 'mon', time: '09:00', timeZone: 'Europe/Berlin' });
    // The record goes without its due member, as after a failure half-way through removing it.
    await h.store.records({ kind: 'digest-schedule', version: 1, schema: z.unknown() }).delete(TEAM, BILLING_CHANNEL);
    h.clock.set('2026-11-23T08:00:00Z');
    expect((await h.newScheduler().tick()).runs).toEqual([]);
    expect(await dueAt(BILLING_CHANNEL)).toBeUndefined();

    await h.schedule(TEAM, { weekday: 'tue', time: '10:00', timeZone: 'UTC', createdAt: '2026-11-23T08:00:00.000Z' });
    expect(await dueAt(BILLING_CHANNEL)).toBe('2026-11-24T10:00:00.000Z');
  });
});
