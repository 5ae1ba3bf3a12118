/**
 * Two real app processes (`tsx src/main.ts`, HTTP mode, each on its own port) sharing one Redis or
 * PostgreSQL store, against one Slack stand-in and one Viam emulator in this process:
 *
 * - a workspace connected through replica A's modal submission is what replica B reads (B answering on its
 *   answer thread, a third participant on the store);
 * - a due digest is posted exactly once although both replicas' schedulers tick every second.
 *
 * Redis and PostgreSQL run when REDIS_URL / DATABASE_URL are set, and are skipped with a notice otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import {
  DEFAULT_APP,
  SEED,
  type SlackStandIn,
  sendSlashCommand,
  sendViewSubmission,
  startSlackStandIn,
} from '../../dev/slack-stand-in';
import { DIGEST_EVENT_TYPE } from '../../src/digest/runs';
import { type DigestSchedule, DigestSchedules } from '../../src/digest/schedules';
import { WEEKDAYS } from '../../src/digest/weekly-time';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store';
import { STACK_ENCRYPTION_KEY } from '../support/log-sink';
import { type Replica, SHARED_BACKENDS, startReplica, stopReplica, waitFor } from '../support/replicas';
import { takeTurnsOnSharedServers } from '../support/shared-servers';
import { ackJson, blocksText, connectValues } from '../support/stack';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

// The key of every app test on a server's default namespace: the store's key check admits only one.
const ENCRYPTION_KEY = STACK_ENCRYPTION_KEY;
const TEAM = { teamId: SEED.team.id };

for (const [index, backend] of SHARED_BACKENDS.entries()) {
  const storeUrl = process.env[backend.variable];
  const withThreads = index === 0;
  const suite = storeUrl ? describe : describe.skip;
  if (!storeUrl) console.warn(`Skipping two replicas on ${backend.name}: ${backend.variable} is not set.`);

  suite(`two app processes on one ${backend.name} store`, () => {
    let emulator: RunningEmulator;
    let slack: SlackStandIn;
    let store: Store;
    let dataDir: string;
    let replicas: Replica[] = [];

    beforeAll(async () => {
      [emulator, slack] = await Promise.all([startEmulator(), startSlackStandIn()]);
      dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-replicas-'));
      // The test's own view of the shared store, to start from a clean workspace and to seed a due digest.
      store = await openStore({ url: storeUrl, dataDir, encryptionKey: ENCRYPTION_KEY, logger: silentLogger() });
      await store.workspaces.deleteWorkspace(TEAM);
      replicas = await Promise.all(
        // Charts off, as the README advises where hundreds of digests share a minute; digests are what is counted.
        // On the first store each replica answers commands on an answer thread, as it does by default on
        // two cores: four participants (two threads per process) on one store. Once is enough for that proof,
        // and each thread loads the app again through tsx.
        ['a', 'b'].map((name) =>
          startReplica(name, {
            storeUrl: storeUrl as string,
            dataDir,
            slack,
            emulator,
            env: { DIGEST_CHARTS: 'off', ANSWER_THREADS: withThreads ? '1' : '0' },
          }),
        ),
      );
    }, 30_000);

    afterAll(async () => {
      await Promise.all(replicas.map(stopReplica));
      await store?.workspaces.deleteWorkspace(TEAM);
      await store?.close();
      await slack?.stop();
      await emulator?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('reads on B what was connected through A', async () => {
      const [a, b] = replicas as [Replica, Replica];
      const org = emulator.orgs[0];
      if (!org) throw new Error('the emulator fixture has no org');
      const submitted = await sendViewSubmission({
        appUrl: a.url,
        signingSecret: DEFAULT_APP.signingSecret,
        team: SEED.team.id,
        user: SEED.users.ada,
        callbackId: 'viam_usage.connect_org',
        values: connectValues({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey, label: 'acme' }),
        privateMetadata: JSON.stringify({ channelId: SEED.channels.billing }),
      });
      expect(ackJson(submitted.body)).toMatchObject({ response_action: 'update' });

      const responseUrl = slack.responseUrl();
      await sendSlashCommand({
        appUrl: b.url,
        signingSecret: DEFAULT_APP.signingSecret,
        team: SEED.team.id,
        user: SEED.users.ada,
        channel: SEED.channels.billing,
        text: 'orgs',
        responseUrl,
        triggerId: slack.triggerId(),
      });
      const answer = await slack.waitForResponse(responseUrl, undefined, 10_000);
      expect(blocksText(answer.body as { blocks?: unknown[] })).toContain('acme');
      // B's log reaches this process through a pipe, which can trail the HTTP answer.
      const receivedOnB = () =>
        b.lines.some(
          (line) =>
            line.msg === 'command received' && line.command === 'orgs' && (line.thread === 'answers') === withThreads,
        );
      await waitFor(receivedOnB, 5_000);
      expect(receivedOnB()).toBe(true);
      expect(a.lines.some((line) => line.msg === 'command received')).toBe(false);
    });

    it('posts a due digest exactly once while both schedulers tick every second', async () => {
      const [a, b] = replicas as [Replica, Replica];
      // Due two minutes ago (inside the grace window), set up a week earlier, so this week's run is owed.
      const dueAt = new Date(Date.now() - 2 * 60_000);
      await new DigestSchedules(store, silentLogger()).set(TEAM, owedWeeklyDigest(SEED.channels.billing, dueAt));

      const posted = () => slack.messagesIn(SEED.channels.billing).filter((message) => message.metadata !== undefined);
      await waitFor(() => posted().length > 0, 10_000);
      // Both schedulers keep ticking for a few more seconds; neither posts again.
      await waitFor(() => ticked(a) && ticked(b), 5_000);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(posted()).toHaveLength(1);
    });

    it('posts 200 digests due in the same minute once each, and both replicas take a share', async () => {
      const [a, b] = replicas as [Replica, Replica];
      const dueAt = new Date(Date.now() - 2 * 60_000);
      const channels = Array.from(
        { length: 200 },
        (_, index) => slack.workspace.addChannel(TEAM.teamId, { name: `due-${index}`, botIsMember: true }).id,
      );
      const schedules = new DigestSchedules(store, silentLogger());
      await Promise.all(channels.map((channelId) => schedules.set(TEAM, owedWeeklyDigest(channelId, dueAt))));

      const digestsIn = (channelId: string) =>
        slack
          .messagesIn(channelId)
          .filter(
            (message) => (message.metadata as { event_type?: unknown } | undefined)?.event_type === DIGEST_EVENT_TYPE,
          );
      const postedChannels = () => channels.filter((channelId) => digestsIn(channelId).length > 0).length;
      await waitFor(() => postedChannels() === channels.length, 60_000);
      // The schedulers keep ticking every second; give them time to post anything twice.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      for (const channelId of channels) expect(digestsIn(channelId)).toHaveLength(1);

      const postedBy = (replica: Replica) =>
        replica.lines.filter((line) => line.msg === 'digest posted' && channels.includes(String(line.channel))).length;
      await waitFor(() => postedBy(a) + postedBy(b) === channels.length, 5_000);
      expect(postedBy(a)).toBeGreaterThan(0);
      expect(postedBy(b)).toBeGreaterThan(0);
    }, 90_000);
  });
}

/** A weekly `acme` digest for `channelId` at `dueAt`'s UTC weekday and minute, set up a week before, so that week is owed. */
function owedWeeklyDigest(channelId: string, dueAt: Date): DigestSchedule {
  return {
    channelId,
    orgLabel: 'acme',
    weekday: WEEKDAYS[(dueAt.getUTCDay() + 6) % 7] as (typeof WEEKDAYS)[number],
    time: `${String(dueAt.getUTCHours()).padStart(2, '0')}:${String(dueAt.getUTCMinutes()).padStart(2, '0')}`,
    timeZone: 'UTC',
    createdBy: SEED.users.ada,
    createdAt: new Date(dueAt.getTime() - 7 * 24 * 60 * 60_000).toISOString(),
  };
}

/** True once the replica's scheduler has looked at this digest (posted it, or found it taken or done). */
function ticked(replica: Replica): boolean {
  return replica.lines.some((line) => line.msg === 'digest tick finished');
}
