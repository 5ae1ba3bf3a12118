/**
 * Redis and PostgreSQL going away under the running app and coming back. The app reaches the shared
 * server through a TCP proxy this test owns, so cutting the proxy takes the server away for this app
 * only (the server itself and other tests using it are untouched). While it is gone: one clear
 * sentence per request, /readyz says the store failed, the process stays up. Once it is back: the app
 * recovers by itself, without a restart, and nothing saved before is lost.
 *
 * Runs when REDIS_URL / DATABASE_URL are set, and is skipped with a notice otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { openStore } from '../../src/store';
import { BACKENDS, uniqueNamespace } from '../store/support';
import { STACK_ENCRYPTION_KEY } from '../support/log-sink';
import { FIXED_NOW, messageText, SEED, USERS } from '../support/stack';
import { type FaultApp, startFaultApp } from './support/fault-app';
import { expectNoSecret } from './support/secrets';
import { CuttableProxy, hostAndPort } from './support/tcp-proxy';

const TEAM = { teamId: SEED.team.id };
const UNREACHABLE =
  'The app could not reach its storage just now. Try again in a minute, and tell your admin if it persists.';

const SERVERS = [
  { name: 'Redis', variable: 'REDIS_URL', backend: 'redis' },
  { name: 'PostgreSQL', variable: 'DATABASE_URL', backend: 'postgres' },
] as const;

async function readyz(app: FaultApp): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${app.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls /readyz until it is 200; how long the app took to notice the server is back is its own business. */
async function untilReady(app: FaultApp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await readyz(app)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`the app was not ready again within ${timeoutMs} ms`);
    await delay(100);
  }
}

for (const server of SERVERS) {
  const url = process.env[server.variable];
  const suite = url ? describe : describe.skip;
  if (!url) console.warn(`Skipping "${server.name} going away" faults: ${server.variable} is not set.`);

  suite(`${server.name} going away and coming back`, () => {
    let proxy: CuttableProxy;
    let emulator: RunningEmulator;
    let slack: SlackStandIn;
    let dataDir: string;
    let app: FaultApp;
    const namespace = uniqueNamespace();

    beforeAll(async () => {
      proxy = await CuttableProxy.start(hostAndPort(url as string));
      [emulator, slack] = await Promise.all([startEmulator({ now: () => FIXED_NOW }), startSlackStandIn()]);
      dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-faults-'));
      const storeUrl = proxy.rewrite(url as string);
      // Its own namespace, so other tests on the same server never see this app's records.
      app = await startFaultApp({ emulator, slack, dataDir, env: { STORE_URL: storeUrl } }, async (logger) => ({
        now: () => FIXED_NOW,
        store: await openStore({ url: storeUrl, dataDir, encryptionKey: STACK_ENCRYPTION_KEY, logger, namespace }),
      }));
    }, 30_000);

    afterAll(async () => {
      await proxy?.restore();
      await app?.stop();
      const backend = BACKENDS.find((candidate) => candidate.name === server.backend);
      const raw = await backend?.raw(dataDir, namespace);
      await raw?.clear();
      await raw?.close();
      await proxy?.close();
      await slack?.stop();
      await emulator?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('answers with one sentence while it is gone, and recovers by itself with nothing lost', async () => {
      const before = await app.command(`access add <@${USERS.linus}|linus>`);
      expect(before.answer?.body.text).toContain('can now see Viam billing');

      await proxy.cut();
      for (const text of [`access add <@${USERS.grace}|grace>`, 'billing']) {
        const { ack, answer } = await app.command(text);
        expect(ack.status).toBe(200);
        expect(answer?.body.text).toBe(UNREACHABLE);
        expect(messageText(answer?.body)).toMatch(/Request ID `[0-9a-f]{8}`/);
        expectNoSecret(JSON.stringify(answer?.body), [url as string]);
      }
      expect(await readyz(app)).toEqual({ status: 503, body: { status: 'not ready', store: 'failed', slack: 'ok' } });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

      await proxy.restore();
      await untilReady(app);
      const after = await app.command(`access add <@${USERS.grace}|grace>`);
      expect(after.answer?.body.text).toContain('can now see Viam billing');
      expect((await app.app.services.store.workspaces.get(TEAM)).viewers).toEqual([USERS.linus, USERS.grace]);
      expect(messageText((await app.command('billing')).answer?.body)).toContain('billing@acme-robotics.example');
    });
  });
}
