/**
 * Two real app processes on one Redis or PostgreSQL store, driven with signed slash commands as Slack
 * would send them: concurrent setting changes split across the replicas all land, every audit entry is
 * kept, and an uninstall handled by one replica while the other is saving changes leaves nothing behind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import {
  DEFAULT_APP,
  SEED,
  type SlackStandIn,
  sendEvent,
  sendSlashCommand,
  startSlackStandIn,
} from '../../dev/slack-stand-in';
import { AuditTrail } from '../../src/audit/trail';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store';
import { BACKENDS } from '../store/support';
import { STACK_ENCRYPTION_KEY } from '../support/log-sink';
import { type Replica, SHARED_BACKENDS, startReplica, stopReplica } from '../support/replicas';
import { takeTurnsOnSharedServers } from '../support/shared-servers';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

const TEAM = { teamId: SEED.team.id };
/** Signed requests in flight at once from this test. */
const IN_FLIGHT = 100;

function users(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `U${prefix}${String(index).padStart(5, '0')}`);
}

for (const backend of SHARED_BACKENDS) {
  const storeUrl = process.env[backend.variable];
  const suite = storeUrl ? describe : describe.skip;
  if (!storeUrl) console.warn(`Skipping settings races on ${backend.name}: ${backend.variable} is not set.`);

  suite(`settings changed through two app processes on one ${backend.name} store`, () => {
    let emulator: RunningEmulator;
    let slack: SlackStandIn;
    let store: Store;
    let dataDir: string;
    let replicas: Replica[] = [];

    /** Sends each command text to a replica in turn, at most IN_FLIGHT at once, and waits for every answer. */
    async function runCommands(texts: string[]): Promise<string[]> {
      const answers: string[] = new Array(texts.length);
      let next = 0;
      const worker = async () => {
        while (next < texts.length) {
          const index = next++;
          const replica = replicas[index % replicas.length] as Replica;
          const responseUrl = slack.responseUrl();
          await sendSlashCommand({
            appUrl: replica.url,
            signingSecret: DEFAULT_APP.signingSecret,
            team: SEED.team.id,
            user: SEED.users.ada,
            channel: SEED.channels.billing,
            text: texts[index] as string,
            responseUrl,
            triggerId: slack.triggerId(),
          });
          const answer = await slack.waitForResponse(responseUrl, undefined, 30_000);
          answers[index] = JSON.stringify(answer.body);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      return answers;
    }

    async function startClean(): Promise<void> {
      await store.workspaces.deleteWorkspace(TEAM);
      await store.workspaces.reviveWorkspace(TEAM);
    }

    beforeAll(async () => {
      [emulator, slack] = await Promise.all([startEmulator(), startSlackStandIn()]);
      dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-settings-'));
      store = await openStore({ url: storeUrl, dataDir, encryptionKey: STACK_ENCRYPTION_KEY, logger: silentLogger() });
      await startClean();
      replicas = await Promise.all(
        ['a', 'b'].map((name) => startReplica(name, { storeUrl: storeUrl as string, dataDir, slack, emulator })),
      );
    }, 60_000);

    afterAll(async () => {
      await Promise.all(replicas.map(stopReplica));
      if (store) await startClean();
      await store?.close();
      await slack?.stop();
      await emulator?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('ends 1,000 concurrent access grants and revokes split across the replicas with exactly the expected list', async () => {
      const removed = users('OLD', 250);
      const added = users('NEW', 250);
      for (const user of removed) await store.workspaces.grantViewer(TEAM, user);
      // Every user twice, so each change also races a duplicate of itself on the other replica.
      const texts = [
        ...added.flatMap((user) => [`access add <@${user}>`, `access add <@${user}>`]),
        ...removed.flatMap((user) => [`access remove <@${user}>`, `access remove <@${user}>`]),
      ].sort((x, y) => (x.slice(-7) < y.slice(-7) ? -1 : 1));
      expect(texts).toHaveLength(1_000);
      const answers = await runCommands(texts);
      expect(
        answers.filter((answer) => /can now see Viam billing|no longer has view access/.test(answer)),
      ).toHaveLength(1_000);
      expect([...(await store.workspaces.get(TEAM)).viewers].sort()).toEqual([...added].sort());
      // Both replicas did part of the work.
      for (const replica of replicas) {
        expect(replica.lines.filter((line) => line.msg === 'view access granted').length).toBeGreaterThan(0);
      }
    }, 180_000);

    it('keeps an audit entry for every one of 150 changes split across the replicas', async () => {
      await startClean();
      const subjects = users('AUD', 150);
      await runCommands(subjects.map((user) => `access add <@${user}>`));
      const entries = await new AuditTrail(store, () => new Date()).latest(TEAM, 200);
      expect(entries).toHaveLength(150);
      expect(new Set(entries.map((entry) => entry.subject))).toEqual(new Set(subjects));
    }, 120_000);

    it('leaves nothing of the workspace when one replica handles the uninstall while the other saves changes', async () => {
      await startClean();
      const [a, b] = replicas as [Replica, Replica];
      await store.workspaces.grantViewer(TEAM, 'U0BEFORE01');
      const changes = users('RACE', 60).map((user, index) =>
        sendSlashCommand({
          appUrl: b.url,
          signingSecret: DEFAULT_APP.signingSecret,
          team: SEED.team.id,
          user: SEED.users.ada,
          channel: SEED.channels.billing,
          text: index % 3 === 0 ? 'budget 500' : `access add <@${user}>`,
          responseUrl: slack.responseUrl(),
          triggerId: slack.triggerId(),
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      const uninstall = await sendEvent({
        appUrl: a.url,
        signingSecret: DEFAULT_APP.signingSecret,
        team: SEED.team.id,
        event: { type: 'app_uninstalled' },
      });
      expect(uninstall.status).toBe(200);
      await Promise.all(changes);
      // Answers (and their writes) still in flight on B finish before the check.
      await waitForLog(a, 'deleted everything held for the workspace', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 2_000));

      const raw = await (
        BACKENDS.find((candidate) => candidate.name === backendName(backend.name)) ?? BACKENDS[0]
      )?.raw(dataDir, 'viam-billing');
      try {
        const left = (await raw?.entries())?.filter((entry) => entry.key.includes(`:ws:${SEED.team.id}:`)) ?? [];
        expect(left).toEqual([]);
      } finally {
        await raw?.close();
      }
      expect(await store.workspaces.isDeleted(TEAM)).toBe(true);
      expect((await store.workspaces.get(TEAM)).viewers).toEqual([]);
    }, 60_000);
  });
}

function backendName(name: 'Redis' | 'PostgreSQL'): 'redis' | 'postgres' {
  return name === 'Redis' ? 'redis' : 'postgres';
}

async function waitForLog(replica: Replica, message: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!replica.lines.some((line) => line.msg === message)) {
    if (Date.now() > deadline) throw new Error(`replica ${replica.name} never logged "${message}"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
