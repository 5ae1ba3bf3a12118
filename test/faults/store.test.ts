/**
 * The SQLite store failing under the running app: the disk filling up while it runs, a data folder
 * that is read-only at start, and one corrupt record among good ones. Each gives a clear sentence,
 * loses no other record, and (for the full disk) recovers without a restart once there is room again.
 *
 * Redis and PostgreSQL going away and coming back are in store-servers.test.ts. Already covered
 * elsewhere (see README.md here): corrupt and tampered records at the store level
 * (test/store/workspaces.test.ts, test/store/records.test.ts) and `/viam-usage reset` of an unreadable
 * workspace (test/handlers/commands/viam-usage.test.ts).
 */
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { chmod, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { type LocalStack, startLocalStack } from '../../dev/local-stack';
import { type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { DigestSchedules } from '../../src/digest/schedules';
import { silentLogger } from '../../src/logger';
import { openStore } from '../../src/store';
import { BACKENDS } from '../store/support';
import { STACK_ENCRYPTION_KEY } from '../support/log-sink';
import { takeTurnsOnSharedServers } from '../support/shared-servers';
import { CHANNELS, FIXED_NOW, LogCapture, messageText, SEED, USERS, useLocalStack } from '../support/stack';
import { bindReadOnly, fillDisk, mountTmpfs, unmount, whyMountIsImpossible } from './support/disk';
import { appEnv } from './support/fault-app';
import { expectNoSecret } from './support/secrets';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

const TEAM = { teamId: SEED.team.id };
const REQUEST_ID = /Request ID `[0-9a-f]{8}`/;
const STORAGE_FULL =
  'The app could not save this because its storage is full. Nothing was changed; tell your admin so they can free some space.';

/** Files under `dir` this process holds open (Linux; elsewhere nothing can be checked and the list is empty). */
function openFilesUnder(dir: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(`${dir}${path.sep}`));
}

const mountProblem = whyMountIsImpossible();
if (mountProblem) console.warn(`Skipping the full-disk fault test: ${mountProblem}.`);
const describeWithMount = mountProblem ? describe.skip : describe;

describeWithMount('the SQLite disk filling up while the app runs', () => {
  let mountPoint: string;
  let stack: LocalStack;
  let filler: string | undefined;

  beforeAll(async () => {
    mountPoint = await mkdtemp(path.join(tmpdir(), 'viam-billing-full-disk-'));
    // Room for the store and its write-ahead log, and little more.
    mountTmpfs(mountPoint, 8 * 1024 * 1024);
    stack = await startLocalStack({
      dataDir: mountPoint,
      now: () => FIXED_NOW,
      emulator: { now: () => FIXED_NOW },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    if (mountPoint) {
      unmount(mountPoint);
      await rmdir(mountPoint);
    }
  });

  afterEach(async () => {
    if (filler) await rm(filler, { force: true });
    filler = undefined;
  });

  it('refuses writes with a sentence that says so, keeps every record readable, and takes writes again once there is room', async () => {
    const added = await stack.command(`access add <@${USERS.linus}|linus>`);
    expect(added.answer?.body.text).toContain('can now see Viam billing');

    filler = fillDisk(mountPoint);
    const refused = await stack.command(`access add <@${USERS.grace}|grace>`);
    expect(refused.answer?.body.text).toBe(STORAGE_FULL);
    expect(messageText(refused.answer?.body)).toMatch(REQUEST_ID);
    expectNoSecret(JSON.stringify(refused.answer?.body));

    // Reads go on: nothing saved before is lost, and billing still answers.
    const listed = messageText((await stack.command('access list')).answer?.body);
    expect(listed).toContain(`<@${USERS.linus}>`);
    expect(listed).not.toContain(`<@${USERS.grace}>`);
    expect(messageText((await stack.command('billing')).answer?.body)).toContain('billing@acme-robotics.example');

    await rm(filler);
    filler = undefined;
    const retried = await stack.command(`access add <@${USERS.grace}|grace>`);
    expect(retried.answer?.body.text).toContain('can now see Viam billing');
    expect((await stack.app.services.store.workspaces.get(TEAM)).viewers).toEqual([USERS.linus, USERS.grace]);

    // And it was really written: a restart on the same folder reads both.
    await stack.restartApp();
    expect((await stack.app.services.store.workspaces.get(TEAM)).viewers).toEqual([USERS.linus, USERS.grace]);
  });
});

describe('a data folder that is read-only at start', () => {
  let emulator: RunningEmulator;
  let slack: SlackStandIn;
  let dataDir: string;
  let readOnlyDir: string;
  let mounted = false;

  beforeAll(async () => {
    [emulator, slack] = await Promise.all([startEmulator(), startSlackStandIn()]);
    dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-ro-'));
    const store = await openStore({ dataDir, encryptionKey: STACK_ENCRYPTION_KEY, logger: silentLogger() });
    await store.workspaces.grantViewer(TEAM, USERS.linus);
    await store.close();
    if (mountProblem) {
      // Without the right to mount, file modes stand in; they bind everyone but root.
      if (process.getuid?.() === 0) return;
      readOnlyDir = dataDir;
      await chmod(path.join(dataDir, 'store.sqlite'), 0o400);
      await chmod(dataDir, 0o500);
    } else {
      readOnlyDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-ro-view-'));
      bindReadOnly(dataDir, readOnlyDir);
      mounted = true;
    }
  });

  afterAll(async () => {
    if (mounted) {
      unmount(readOnlyDir);
      await rmdir(readOnlyDir);
    } else if (readOnlyDir) {
      await chmod(dataDir, 0o700);
    }
    await slack?.stop();
    await emulator?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stops start-up with one sentence naming the file, and the data is intact once the folder is writable', async () => {
    if (!readOnlyDir) {
      console.warn('Skipping the read-only folder test: running as root without the right to mount.');
      return;
    }
    const config = loadConfig(appEnv({ emulator, slack, dataDir: readOnlyDir }));
    const failure = await startApp(config, { logger: silentLogger(), host: '127.0.0.1', manualDigests: true }).then(
      (app) => app.stop().then(() => undefined),
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toBe(
      `Could not open the SQLite store at ${path.join(readOnlyDir, 'store.sqlite')}. Check that the folder exists or can be created and is writable; details are in the log.`,
    );
    expectNoSecret(failure?.message ?? '');
    // The failed start left no file open (which would also keep the folder from being unmounted).
    expect(openFilesUnder(readOnlyDir)).toEqual([]);

    const writable = await openStore({ dataDir, encryptionKey: STACK_ENCRYPTION_KEY, logger: silentLogger() });
    try {
      expect((await writable.workspaces.get(TEAM)).viewers).toEqual([USERS.linus]);
    } finally {
      await writable.close();
    }
  });
});

describe('one corrupt record among good ones', () => {
  const log = new LogCapture();
  const stackOf = useLocalStack({ logDestination: log.destination }, { reset: removeSchedules });

  async function removeSchedules(stack: LocalStack): Promise<void> {
    const schedules = new DigestSchedules(stack.app.services.store, silentLogger());
    for (const channelId of [CHANNELS.billing, CHANNELS.finance]) {
      await schedules.remove(TEAM, channelId).catch(() => undefined);
    }
  }

  /** Monday 09:00 UTC digests in #billing and #finance, set up well before. */
  async function twoSchedules(stack: LocalStack): Promise<void> {
    const schedules = new DigestSchedules(stack.app.services.store, silentLogger());
    for (const channelId of [CHANNELS.billing, CHANNELS.finance]) {
      await schedules.set(TEAM, {
        channelId,
        orgLabel: 'default',
        weekday: 'mon',
        time: '09:00',
        timeZone: 'UTC',
        createdBy: USERS.ada,
        createdAt: '2026-11-01T00:00:00.000Z',
      });
    }
  }

  /** Overwrites a record in the SQLite file behind the store's back, as a bad disk or a bad hand would. */
  async function corrupt(stack: LocalStack, logicalKey: string, raw: string): Promise<void> {
    const sqlite = BACKENDS.find((backend) => backend.name === 'sqlite');
    if (!sqlite) throw new Error('no SQLite backend');
    const file = await sqlite.raw(stack.dataDir, 'viam-billing');
    try {
      await file.put(`viam-billing:${logicalKey}`, raw);
    } finally {
      await file.close();
    }
  }

  it('a corrupt digest schedule: the other channel’s digest still goes out, the log names it, and setting it again mends it', async () => {
    const stack = stackOf();
    await twoSchedules(stack);
    await corrupt(stack, `ws:${TEAM.teamId}:digest-schedule:${CHANNELS.billing}`, '{"value":{"v":1,"data":{"chan');

    // Monday Nov 30, 09:00 UTC.
    const tick = await stack.app.services.digests.scheduler.tick(new Date('2026-11-30T09:00:00Z'));
    expect(tick.runs.map((run) => [run.channelId, run.outcome.status])).toEqual([[CHANNELS.finance, 'posted']]);
    expect(stack.slack.messagesIn(CHANNELS.billing)).toEqual([]);

    expect(log.find('skipping digest schedules that cannot be read').at(-1)).toMatchObject({
      channels: [CHANNELS.billing],
    });
    expect(log.find('stored record is unreadable').at(-1)).toMatchObject({
      storeKey: `ws:${TEAM.teamId}:digest-schedule:${CHANNELS.billing}`,
    });

    // The list shows what it can read (it does not yet say that one schedule is unreadable: see README.md).
    const listed = messageText((await stack.command('digest list')).answer?.body);
    expect(listed).toContain(`<#${CHANNELS.finance}>`);
    expect(listed).not.toContain(`<#${CHANNELS.billing}>`);

    // Setting the channel's digest again replaces the unreadable record.
    const set = await stack.command(`digest <#${CHANNELS.billing}|billing> mon 09:00 UTC`);
    expect(set.answer?.body.text).not.toMatch(/could not|went wrong/i);
    const relisted = messageText((await stack.command('digest list')).answer?.body);
    expect(relisted).toContain(`<#${CHANNELS.billing}>`);
    expect(relisted).toContain(`<#${CHANNELS.finance}>`);
  });

  it('a corrupt workspace record of another team leaves this team’s settings and answers alone', async () => {
    const stack = stackOf();
    await corrupt(stack, 'ws:T0OTHERTEAM:workspace', 'not JSON at all');
    const { answer } = await stack.command('billing');
    expect(messageText(answer?.body)).toContain('billing@acme-robotics.example');
    const other = await stack.app.services.store.workspaces.get({ teamId: 'T0OTHERTEAM' }).catch((error) => error);
    expect(other).toMatchObject({ name: 'StoreError', kind: 'corrupt' });
  });
});
