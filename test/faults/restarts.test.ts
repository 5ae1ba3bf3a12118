/**
 * Restarts in the middle of a weekly digest post and of an invoice upload: nothing posted twice,
 * nothing lost. The Slack stand-in holds the post or the upload in flight (`holdNext`) while the app
 * is restarted on the same data folder:
 *
 * - gracefully (SIGTERM, `restartApp`): shutdown waits for the work in flight, which completes once;
 * - by a crash (SIGKILL of a real app process): when the post had reached Slack, the restarted app
 *   finds it in the channel and records it instead of posting again; when it had not, the restarted
 *   app posts it once. An upload cut by a crash never becomes a shared file, and the user's next
 *   attempt shares it once.
 *
 * Already covered elsewhere (see README.md here): the same crash windows set up by hand in the store
 * (test/digest/runner.test.ts, test/digest/scheduler.test.ts) and a restart after a digest was posted
 * (test/handlers/commands/digest.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import type { LocalStack } from '../../dev/local-stack';
import { type HeldRequest, type SlackStandIn, startSlackStandIn, UPLOAD_METHOD } from '../../dev/slack-stand-in';
import { DigestRuns } from '../../src/digest/runs';
import { DigestSchedules } from '../../src/digest/schedules';
import { WEEKDAYS } from '../../src/digest/weekly-time';
import { silentLogger } from '../../src/logger';
import { openStore } from '../../src/store';
import { STACK_ENCRYPTION_KEY } from '../support/log-sink';
import { CHANNELS, FIXED_NOW, SEED, USERS, useLocalStack } from '../support/stack';
import { type AppProcess, startAppProcess } from './support/app-process';
import { type FaultApp, sendCommand, startFaultApp } from './support/fault-app';

const TEAM = { teamId: SEED.team.id };
const DIGEST_EVENT_TYPE = 'viam_billing_digest';
/** Dated Oct 1, 2026; any invoice of the demo org does. */
const INVOICE = 'in_1Q2BhDaOacqzETivG1yBpcAF';

function digestsIn(slack: SlackStandIn, channelId: string) {
  return slack
    .messagesIn(channelId)
    .filter((message) => (message.metadata as { event_type?: unknown } | undefined)?.event_type === DIGEST_EVENT_TYPE);
}

function sharedFilesIn(slack: SlackStandIn, channelId: string) {
  return slack.messagesIn(channelId).filter((message) => (message.files ?? []).length > 0);
}

/** A weekly digest in `channelId` due at `dueAt` (UTC), set up a week before so this week's run is owed. */
async function scheduleDue(schedules: DigestSchedules, channelId: string, dueAt: Date): Promise<void> {
  await schedules.set(TEAM, {
    channelId,
    orgLabel: 'default',
    weekday: WEEKDAYS[(dueAt.getUTCDay() + 6) % 7] as (typeof WEEKDAYS)[number],
    time: `${String(dueAt.getUTCHours()).padStart(2, '0')}:${String(dueAt.getUTCMinutes()).padStart(2, '0')}`,
    timeZone: 'UTC',
    createdBy: USERS.ada,
    createdAt: new Date(dueAt.getTime() - 7 * 24 * 60 * 60_000).toISOString(),
  });
}

describe('a graceful restart (SIGTERM) with work in flight', () => {
  const stackOf = useLocalStack({}, { reset: removeSchedules });

  async function removeSchedules(stack: LocalStack): Promise<void> {
    await stack.app.services.digests.schedules.remove(TEAM, CHANNELS.billing);
  }

  it('mid-digest: shutdown waits for the post, which is recorded; the restarted app posts nothing more', async () => {
    const stack = stackOf();
    // Due at the stack's fixed instant (Thursday Nov 26, 15:00 UTC).
    await scheduleDue(stack.app.services.digests.schedules, CHANNELS.billing, FIXED_NOW);
    const held = stack.slack.holdNext('chat.postMessage');
    const ticking = stack.app.services.digests.scheduler.tick(FIXED_NOW);
    expect((await held.arrived).args.channel).toBe(CHANNELS.billing);

    const restarting = stack.restartApp();
    held.release();
    const [tick] = await Promise.all([ticking, restarting]);
    expect(tick.runs.map((run) => run.outcome.status)).toEqual(['posted']);

    // The post was recorded and the digest moved to next week before the old app closed its store.
    const after = await stack.app.services.digests.scheduler.tick(new Date(FIXED_NOW.getTime() + 60_000));
    expect(after.runs).toEqual([]);
    expect(digestsIn(stack.slack, CHANNELS.billing)).toHaveLength(1);
  });

  it('mid-upload: shutdown waits for the upload, and the file is shared once', async () => {
    const stack = stackOf();
    const held = stack.slack.holdNext(UPLOAD_METHOD);
    const { responseUrl } = await stack.command(`invoice ${INVOICE}`, { waitForAnswer: false });
    await held.arrived;

    const restarting = stack.restartApp();
    held.release();
    await restarting;
    expect(stack.slack.uploadedFiles()).toHaveLength(1);
    expect(sharedFilesIn(stack.slack, CHANNELS.billing)).toHaveLength(1);
    expect(stack.slack.responses(responseUrl)).toEqual([]);
    expect((await stack.command('help')).answer?.body.text).toMatch(/^How to use/);
  });
});

describe('a crash (SIGKILL) with work in flight', () => {
  let emulator: RunningEmulator;
  let slack: SlackStandIn;
  let dataDir: string;
  let crashed: AppProcess | undefined;
  let restarted: FaultApp | undefined;

  beforeEach(async () => {
    [emulator, slack] = await Promise.all([startEmulator(), startSlackStandIn()]);
    dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-crash-'));
  });

  afterEach(async () => {
    await crashed?.stop();
    await restarted?.stop();
    crashed = undefined;
    restarted = undefined;
    await slack.stop();
    await emulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The app again on the same data folder, in this process, with its clock (and the store's) moved on by `aheadMs`. */
  function restart(aheadMs: number): Promise<FaultApp> {
    const later = () => new Date(Date.now() + aheadMs);
    return startFaultApp({ emulator, slack, dataDir }, async (logger) => ({
      now: later,
      store: await openStore({ dataDir, encryptionKey: STACK_ENCRYPTION_KEY, logger, now: later }),
    }));
  }

  it('mid-digest: a post that reached Slack is found and recorded, a post that did not is sent; each once', async () => {
    // Two digests due two minutes ago, which a fresh app process picks up on its first check.
    const seed = await openStore({ dataDir, encryptionKey: STACK_ENCRYPTION_KEY, logger: silentLogger() });
    const schedules = new DigestSchedules(seed, silentLogger());
    const dueAt = new Date(Math.floor((Date.now() - 2 * 60_000) / 60_000) * 60_000);
    for (const channelId of [CHANNELS.billing, CHANNELS.finance]) await scheduleDue(schedules, channelId, dueAt);
    await seed.close();

    const holds = [slack.holdNext('chat.postMessage'), slack.holdNext('chat.postMessage')];
    crashed = await startAppProcess({ emulator, slack, dataDir, env: { DIGEST_CHECK_INTERVAL_SECONDS: '1' } });
    const requests = await Promise.all(holds.map((hold) => withTimeout(hold.arrived, 15_000)));
    const channelOf = (request: HeldRequest) => request.args.channel;
    const delivered = holds[requests.findIndex((request) => channelOf(request) === CHANNELS.billing)];
    const lost = holds[requests.findIndex((request) => channelOf(request) === CHANNELS.finance)];
    if (!delivered || !lost) throw new Error('the two held posts are not one per channel');

    await crashed.crash();
    // #billing: Slack got the post, but the app died before hearing back. #finance: the post never arrived.
    delivered.release();
    lost.drop();
    await slack.waitForCall('chat.postMessage', (call) => call.ok, 5_000);
    expect(digestsIn(slack, CHANNELS.billing)).toHaveLength(1);
    expect(digestsIn(slack, CHANNELS.finance)).toHaveLength(0);

    // Restarted after the dead process's claims (5 minutes) ran out, as the next start would find them.
    restarted = await restart(6 * 60_000);
    const tick = await restarted.app.services.digests.scheduler.tick();
    const outcomes = new Map(tick.runs.map((run) => [run.channelId, run.outcome]));
    expect(outcomes.get(CHANNELS.billing)).toEqual({
      status: 'reconciled',
      ts: digestsIn(slack, CHANNELS.billing)[0]?.ts,
    });
    expect(outcomes.get(CHANNELS.finance)).toMatchObject({ status: 'posted' });
    expect(digestsIn(slack, CHANNELS.billing)).toHaveLength(1);
    expect(digestsIn(slack, CHANNELS.finance)).toHaveLength(1);

    const runs = new DigestRuns(restarted.app.services.store);
    const week = tick.runs[0]?.occurrenceId ?? '';
    for (const channelId of [CHANNELS.billing, CHANNELS.finance]) {
      expect(await runs.get(TEAM, channelId, week)).toMatchObject({ state: 'posted' });
    }
    expect((await restarted.app.services.digests.scheduler.tick()).runs).toEqual([]);
  });

  it('mid-upload: the cut upload never becomes a shared file, and sharing again after the restart shares it once', async () => {
    crashed = await startAppProcess({ emulator, slack, dataDir });
    const held = slack.holdNext(UPLOAD_METHOD);
    await sendCommand(slack, crashed.url, `invoice ${INVOICE}`, { waitForAnswer: false });
    await withTimeout(held.arrived, 10_000);

    await crashed.crash();
    // The bytes reach Slack, but nobody is left to complete the upload into the channel.
    held.release();
    await slack.waitForCall(UPLOAD_METHOD, (call) => call.ok, 5_000);
    expect(slack.uploadedFiles()).toEqual([]);
    expect(slack.messagesIn(CHANNELS.billing)).toEqual([]);

    restarted = await restart(0);
    const again = await restarted.command(`invoice ${INVOICE}`, { waitForAnswer: false });
    expect(again.ack.status).toBe(200);
    await slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 10_000);
    expect(slack.uploadedFiles()).toHaveLength(1);
    expect(sharedFilesIn(slack, CHANNELS.billing)).toHaveLength(1);
    // Only the restarted app completed an upload: the killed one really was gone.
    expect(slack.calls('files.completeUploadExternal').map((call) => call.ok)).toEqual([true]);
    expect(crashed.process.signalCode).toBe('SIGKILL');
  });
});

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`nothing arrived within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
