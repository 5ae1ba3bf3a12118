import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import { type EmulatorFixture, type RunningEmulator, startEmulator } from '../../dev/emulator';
import { SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { scheduleOrgCheck } from '../../src/alerts/check-times';
import { type BillingClient, createBillingClient } from '../../src/billing';
import { ChannelPacer } from '../../src/digest/pacing';
import { DigestRunner, type DigestRunnerOptions } from '../../src/digest/runner';
import { DigestScheduler, type DigestSchedulerOptions } from '../../src/digest/scheduler';
import type { DigestSchedule } from '../../src/digest/schedules';
import type { Weekday } from '../../src/digest/weekly-time';
import { openStore, type Store, type WorkspaceRef } from '../../src/store';
import { type CapturedLog, captureLog, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';

/**
 * End-to-end setting for the runner and scheduler tests: the real Viam emulator (gRPC), the Slack
 * stand-in (HTTP), a real SQLite store in a temp dir, and one clock that
 * all of them read. Nothing sleeps: waits the code asks for advance the clock instead.
 */

export class TestClock {
  private ms: number;

  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
  }

  readonly now = (): Date => new Date(this.ms);
  readonly nowMs = (): number => this.ms;

  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

export const TEAM: WorkspaceRef = { teamId: SEED.team.id };
export const BILLING_CHANNEL = SEED.channels.billing;
export const ADA = SEED.users.ada;

export interface Harness {
  clock: TestClock;
  emulator: RunningEmulator;
  standIn: SlackStandIn;
  store: Store;
  billing: BillingClient;
  log: CapturedLog;
  /** Every wait the pacer asked for, in ms; each one advanced the clock instead of sleeping. */
  sleeps: number[];
  sleep: (ms: number) => Promise<void>;
  clientFor: (ref: WorkspaceRef) => Promise<webApi.WebClient>;
  /** The arguments of every conversations.history call the stand-in answered, oldest first. */
  historyCalls(): Array<Record<string, unknown>>;
  /** Connects emulator org `index` to the workspace under `label`, due for its hourly check, as the connect form does. */
  connect(ref: WorkspaceRef, label?: string, index?: number): Promise<void>;
  schedule(
    ref: WorkspaceRef,
    fields: Partial<DigestSchedule> & { weekday: Weekday; time: string; timeZone: string },
  ): Promise<DigestSchedule>;
  newRunner(options?: Partial<DigestRunnerOptions>): DigestRunner;
  newScheduler(options?: Partial<DigestSchedulerOptions> & { runner?: DigestRunner }): DigestScheduler;
  /** A second store handle on the same SQLite file, as another replica would have. */
  openReplicaStore(): Promise<Store>;
  /** Digest messages (not notices) in a channel. */
  digestsIn(channelId: string): Array<{ ts: string; text?: string; blocks?: unknown[] }>;
  noticesIn(channelId: string): Array<{ ts: string; text?: string }>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  start: Date | string;
  fixture?: EmulatorFixture;
  /** Bot scopes beyond the manifest's (which include the history scopes). */
  extraScopes?: string[];
  /** Web API client options (retries are off by default). */
  webClient?: webApi.WebClientOptions;
}

const silentSlackLogger: webApi.Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => {},
};

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const clock = new TestClock(options.start);
  const log = captureLog();
  const temp = await fastTempDir();
  const namespace = uniqueNamespace();
  const encryptionKey = newEncryptionKey();
  const emulator = await startEmulator({ now: clock.now, ...(options.fixture ? { fixture: options.fixture } : {}) });
  const standIn = await startSlackStandIn({ clock: { now: clock.nowMs } });
  if (options.extraScopes?.length) {
    const team = standIn.defaultTeam;
    standIn.workspace.setScopes(team.id, [...team.scopes, ...options.extraScopes]);
  }
  const openOne = () => openStore({ dataDir: temp.dir, namespace, encryptionKey, logger: log.logger, now: clock.now });
  const store = await openOne();
  const extraStores: Store[] = [];
  const billing = createBillingClient({ url: emulator.url, logger: log.logger, now: clock.now, sleep: async () => {} });
  const clients = new Map<string, webApi.WebClient>();
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  };

  const clientFor = async (ref: WorkspaceRef): Promise<webApi.WebClient> => {
    const slackTeam = standIn.workspace.team(ref.teamId);
    if (!slackTeam) throw new Error(`no stand-in team ${ref.teamId}`);
    let client = clients.get(slackTeam.botToken);
    if (!client) {
      client = new webApi.WebClient(slackTeam.botToken, {
        slackApiUrl: standIn.url,
        retryConfig: { retries: 0 },
        logger: silentSlackLogger,
        ...options.webClient,
      });
      clients.set(slackTeam.botToken, client);
    }
    return client;
  };

  const harness: Harness = {
    clock,
    emulator,
    standIn,
    store,
    billing,
    log,
    sleeps,
    sleep,
    clientFor,
    historyCalls: () => standIn.calls('conversations.history').map((call) => call.args),
    async connect(ref, label = 'acme', index = 0) {
      const org = emulator.orgs[index];
      if (!org) throw new Error(`no emulator org ${index}`);
      await store.workspaces.connectOrg(ref, {
        label,
        orgId: org.orgId,
        apiKey: { id: org.apiKeyId, key: org.apiKey },
        connectedBy: ADA,
      });
      await scheduleOrgCheck(store, ref, org.orgId, clock.now());
    },
    async schedule(ref, fields) {
      const schedule: DigestSchedule = {
        channelId: BILLING_CHANNEL,
        orgLabel: 'acme',
        createdBy: ADA,
        createdAt: new Date('2026-01-01T00:00:00Z').toISOString(),
        ...fields,
      };
      const runner = harness.newRunner();
      return runner.schedules.set(ref, schedule);
    },
    newRunner(overrides = {}) {
      return new DigestRunner({
        store,
        billing,
        clientFor,
        logger: log.logger,
        now: clock.now,
        pacer: new ChannelPacer({ now: clock.now, sleep }),
        ...overrides,
      });
    },
    newScheduler(overrides = {}) {
      const { runner, ...rest } = overrides;
      return new DigestScheduler({
        runner: runner ?? harness.newRunner(),
        logger: log.logger,
        now: clock.now,
        ...rest,
      });
    },
    async openReplicaStore() {
      const replica = await openOne();
      extraStores.push(replica);
      return replica;
    },
    digestsIn(channelId) {
      return standIn
        .messagesIn(channelId)
        .filter((message) => eventTypeOf(message.metadata) === 'viam_billing_digest')
        .map(({ ts, text, blocks }) => ({ ts, text, blocks }));
    },
    noticesIn(channelId) {
      return standIn
        .messagesIn(channelId)
        .filter((message) => eventTypeOf(message.metadata) === 'viam_billing_digest_notice')
        .map(({ ts, text }) => ({ ts, text }));
    },
    async stop() {
      billing.close();
      for (const extra of extraStores) await extra.close();
      await store.close();
      await standIn.stop();
      await emulator.stop();
      await temp.remove();
    },
  };
  return harness;
}

/**
 * SQLite in memory-backed /dev/shm when the machine has it: the store is the same, only fsync is
 * free, which keeps the 500-workspace run quick. Falls back to the usual temp dir.
 */
async function fastTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  try {
    await access('/dev/shm', constants.W_OK);
    const dir = await mkdtemp(path.join('/dev/shm', 'viam-digest-'));
    return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch {
    return tempDir();
  }
}

function eventTypeOf(metadata: unknown): unknown {
  return (metadata as { event_type?: unknown } | undefined)?.event_type;
}
