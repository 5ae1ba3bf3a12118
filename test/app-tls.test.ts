/**
 * The whole app over TLS, in its own process as in production: the emulator serves gRPC over TLS and
 * the Slack stand-in serves HTTPS (Web API, uploads, response URLs), both with certificates from a CA
 * made for the test, which the app trusts through NODE_EXTRA_CA_CERTS alone. Startup (auth.test), an
 * overview (three Viam reads, the answer at its response URL) and a chart (a file upload) all work.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../dev/emulator';
import { type SlackStandIn, startSlackStandIn } from '../dev/slack-stand-in';
import { createTestCa } from '../dev/tls/test-ca';
import { type AppProcess, startAppProcess } from './faults/support/app-process';
import { sendCommand } from './faults/support/fault-app';
import { waitFor } from './support/replicas';
import { messageText } from './support/stack';

let emulator: RunningEmulator;
let slack: SlackStandIn;
let app: AppProcess;
let dataDir: string;

beforeAll(async () => {
  const ca = await createTestCa();
  dataDir = await mkdtemp(path.join(tmpdir(), 'app-tls-'));
  const certificate = await ca.issue({ hosts: ['localhost', '127.0.0.1'] });
  emulator = await startEmulator({ tls: certificate });
  slack = await startSlackStandIn({ tls: certificate });
  app = await startAppProcess({ emulator, slack, dataDir, env: { NODE_EXTRA_CA_CERTS: ca.writeCa(dataDir) } });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await slack?.stop();
  await emulator?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the app with Viam and Slack over TLS', () => {
  it('talks to both over https only', () => {
    expect(emulator.url).toMatch(/^https:\/\//);
    expect(slack.url).toMatch(/^https:\/\/localhost:\d+\/api\/$/);
  });

  it('answers an overview from Viam over TLS at an https response URL', async () => {
    const { ack, responseUrl, answer } = await sendCommand(slack, app.url, '');
    expect(responseUrl).toMatch(/^https:\/\//);
    expect(ack.status).toBe(200);
    expect(messageText(answer?.body)).toMatch(/\$\d/);
  });

  it('uploads a chart through the https upload URL', async () => {
    const before = slack.uploadedFiles().length;
    const { ack } = await sendCommand(slack, app.url, 'chart', { waitForAnswer: false });
    expect(ack.status).toBe(200);
    await waitFor(() => slack.uploadedFiles().length > before, 10_000);
    expect(slack.uploadedFiles().at(-1)?.filename).toMatch(/\.png$/);
  });
});
