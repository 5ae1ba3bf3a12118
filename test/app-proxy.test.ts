/**
 * The whole app behind a company proxy, in its own process as in production: the Slack stand-in and
 * the emulator serve TLS under host names that only the CONNECT proxy on loopback resolves, and the app
 * knows nothing but HTTPS_PROXY (or https_proxy) and the CA in NODE_EXTRA_CA_CERTS. Startup, an
 * overview (three Viam reads and the answer at its response URL), a chart (a file upload) and Socket
 * Mode all work, and every connection they need is a tunnel the proxy opened. NO_PROXY sends Viam
 * directly while Slack stays behind the proxy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFixture, type RunningEmulator, startEmulator } from '../dev/emulator';
import { type RunningConnectProxy, startConnectProxy } from '../dev/proxy/connect-proxy';
import { SEED, type SlackStandIn, slashCommandFields, startSlackStandIn } from '../dev/slack-stand-in';
import { createTestCa } from '../dev/tls/test-ca';
import { type AppProcess, startAppProcess } from './faults/support/app-process';
import { sendCommand } from './faults/support/fault-app';
import { waitFor } from './support/replicas';
import { messageText } from './support/stack';

const SLACK_HOST = 'slack.proxy-only.test';
const VIAM_HOST = 'viam.proxy-only.test';

let proxy: RunningConnectProxy;
let emulator: RunningEmulator;
let slack: SlackStandIn;
let dataDir: string;
let caFile: string;
const apps: AppProcess[] = [];

beforeAll(async () => {
  const ca = await createTestCa();
  dataDir = await mkdtemp(path.join(tmpdir(), 'app-proxy-'));
  caFile = ca.writeCa(dataDir);
  proxy = await startConnectProxy({ hosts: { [SLACK_HOST]: '127.0.0.1', [VIAM_HOST]: '127.0.0.1' } });
  emulator = await startEmulator({ tls: await ca.issue({ hosts: [VIAM_HOST, 'localhost'] }), urlHost: VIAM_HOST });
  slack = await startSlackStandIn({ tls: await ca.issue({ hosts: [SLACK_HOST] }), urlHost: SLACK_HOST });
}, 60_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await Promise.all([slack?.stop(), emulator?.stop(), proxy?.stop()]);
  await rm(dataDir, { recursive: true, force: true });
});

async function startBehindProxy(env: NodeJS.ProcessEnv): Promise<AppProcess> {
  const app = await startAppProcess({
    emulator,
    slack,
    dataDir: await mkdtemp(path.join(dataDir, 'app-')),
    env: { NODE_EXTRA_CA_CERTS: caFile, ...env },
  });
  apps.push(app);
  return app;
}

const tunnels = (host: string, since: number) =>
  proxy.connects.slice(since).filter((connect) => connect.target.startsWith(`${host}:`));

describe('the app behind an HTTPS proxy (HTTP mode, HTTPS_PROXY)', () => {
  let app: AppProcess;
  let sinceStart: number;

  beforeAll(async () => {
    sinceStart = proxy.connects.length;
    app = await startBehindProxy({ HTTPS_PROXY: proxy.url });
  }, 60_000);

  it('is handed names that resolve only at the proxy', () => {
    expect(slack.url).toBe(`https://${SLACK_HOST}:${new URL(slack.url).port}/api/`);
    expect(emulator.url).toBe(`https://${VIAM_HOST}:${emulator.port}`);
  });

  it('answers an overview read from Viam at its response URL, all through the proxy', async () => {
    const before = proxy.connects.length;
    const { ack, answer } = await sendCommand(slack, app.url, '');
    expect(ack.status).toBe(200);
    expect(messageText(answer?.body)).toMatch(/\$\d/);
    // Startup's auth.test and the org connected from the environment went through it as well.
    expect(tunnels(SLACK_HOST, sinceStart).length).toBeGreaterThan(0);
    expect(tunnels(VIAM_HOST, sinceStart).length).toBeGreaterThan(0);
    expect(proxy.connects.slice(before).every((connect) => connect.status === 200)).toBe(true);
  });

  it('uploads a chart through the proxy', async () => {
    const before = slack.uploadedFiles().length;
    const { ack } = await sendCommand(slack, app.url, 'chart', { waitForAnswer: false });
    expect(ack.status).toBe(200);
    await waitFor(() => slack.uploadedFiles().length > before, 10_000);
    expect(slack.uploadedFiles().at(-1)?.filename).toMatch(/\.png$/);
  });

  it('shares an invoice PDF streamed from Viam through the tunnel into the channel', async () => {
    const invoiceId = loadFixture().orgs[0]?.invoices.at(-1)?.id;
    expect(invoiceId).toBeDefined();
    const before = slack.uploadedFiles().length;
    const { ack } = await sendCommand(slack, app.url, `invoice ${invoiceId}`, { waitForAnswer: false });
    expect(ack.status).toBe(200);
    await waitFor(() => slack.uploadedFiles().length > before, 10_000);
    const pdf = slack.uploadedFiles().at(-1);
    expect(pdf?.filename).toMatch(/\.pdf$/);
    expect(pdf?.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('posts a digest on request through the proxy', async () => {
    const before = slack.messagesIn(SEED.channels.billing).length;
    const { ack } = await sendCommand(slack, app.url, 'digest now', { waitForAnswer: false });
    expect(ack.status).toBe(200);
    await waitFor(
      () =>
        slack
          .messagesIn(SEED.channels.billing)
          .slice(before)
          .some((message) => messageText(message).includes('Weekly Viam digest')),
      10_000,
    );
  });

  it('never tried anything the proxy refused', () => {
    expect(proxy.connects.slice(sinceStart).filter((connect) => connect.status !== 200)).toEqual([]);
    expect(proxy.refusedRequests).toBe(0);
  });
});

describe('the app behind the proxy in Socket Mode, with Viam in NO_PROXY (lower-case variables)', () => {
  let app: AppProcess;
  let sinceStart: number;

  beforeAll(async () => {
    sinceStart = proxy.connects.length;
    app = await startBehindProxy({
      https_proxy: proxy.url,
      no_proxy: 'localhost,127.0.0.1',
      SLACK_APP_TOKEN: slack.app.appToken,
      // The name this machine resolves itself, which NO_PROXY sends directly.
      VIAM_APP_URL: `https://localhost:${emulator.port}`,
    });
  }, 60_000);

  it('opens the Socket Mode WebSocket through the proxy and answers a command from Viam read directly', async () => {
    await waitFor(() => slack.socketMode.openConnections() > 0, 10_000);
    const responseUrl = slack.responseUrl();
    const payload = slashCommandFields({
      team: SEED.team,
      user: { id: SEED.users.ada, name: 'ada' },
      channel: { id: SEED.channels.billing, name: 'billing' },
      text: 'billing',
      responseUrl,
      triggerId: slack.triggerId(),
    });
    await slack.socketMode.sendEnvelope({ type: 'slash_commands', payload });
    const answer = await slack.waitForResponse(responseUrl, undefined, 10_000);
    expect(messageText(answer.body)).toContain('@');

    expect(tunnels(SLACK_HOST, sinceStart).length).toBeGreaterThanOrEqual(2);
    expect(tunnels(VIAM_HOST, sinceStart)).toEqual([]);
    expect(tunnels('localhost', sinceStart)).toEqual([]);
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  });
});
