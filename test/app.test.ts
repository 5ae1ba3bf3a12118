/**
 * The composition root end to end: HTTP mode (health, Slack's signature check, graceful stop,
 * restart on the same data), Socket Mode, and the start-up failures `npm start` prints.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../dev/emulator';
import { type LocalStack, startLocalStack } from '../dev/local-stack';
import {
  nowSeconds,
  SEED,
  type SlackStandIn,
  sendSlashCommand,
  slashCommandFields,
  startSlackStandIn,
} from '../dev/slack-stand-in';
import { type RunningApp, StartupError, startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/logger';
import {
  ackJson,
  CHANNELS,
  connectValues,
  FIXED_NOW,
  messageText,
  USERS,
  useLocalStack,
  workspaceOf,
} from './support/stack';

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

describe('HTTP mode', () => {
  const stackOf = useLocalStack();

  it('serves GET /healthz', async () => {
    const health = await get(`${stackOf().appUrl}/healthz`);
    expect(health).toEqual({ status: 200, body: '{"status":"ok"}\n' });
    expect((await get(`${stackOf().appUrl}/nope`)).status).toBe(404);
  });

  it('refuses a request with a wrong signature: 401 and no listener runs', async () => {
    const stack = stackOf();
    const responseUrl = stack.slack.responseUrl();
    const ack = await sendSlashCommand({
      appUrl: stack.appUrl,
      signingSecret: stack.slack.app.signingSecret,
      badSignature: true,
      team: SEED.team.id,
      user: USERS.ada,
      channel: SEED.channels.billing,
      text: 'access add <@U0LINUSENG>',
      responseUrl,
    });
    expect(ack.status).toBe(401);
    await expectNoEffect(stack, responseUrl);
  });

  it('refuses a request signed six minutes ago: 401 and no listener runs', async () => {
    const stack = stackOf();
    const responseUrl = stack.slack.responseUrl();
    const ack = await sendSlashCommand({
      appUrl: stack.appUrl,
      signingSecret: stack.slack.app.signingSecret,
      timestamp: nowSeconds() - 6 * 60,
      team: SEED.team.id,
      user: USERS.ada,
      channel: SEED.channels.billing,
      text: 'access add <@U0LINUSENG>',
      responseUrl,
    });
    expect(ack.status).toBe(401);
    await expectNoEffect(stack, responseUrl);
  });

  async function expectNoEffect(stack: LocalStack, responseUrl: string): Promise<void> {
    // A correctly signed command right after proves the app is listening and would have answered by now.
    const control = await stack.command('help');
    expect(control.answer?.body.text).toMatch(/^How to use/);
    expect(stack.slack.responseAttempts(responseUrl)).toEqual([]);
    expect(stack.slack.calls('users.info')).toEqual([]);
    expect((await workspaceOf(stack)).viewers).toEqual([]);
  }
});

describe('DIGEST_CHARTS=off', () => {
  const stackOf = useLocalStack({ env: { DIGEST_CHARTS: 'off' } });

  it('posts the digest without a chart in its thread', async () => {
    const stack = stackOf();
    const { answer } = await stack.command('digest now');
    expect(messageText(answer?.body)).toContain('Posted a Viam digest');
    await stack.app.services.digests.scheduler.idle();
    expect(
      stack.slack.messagesIn(CHANNELS.billing).filter((message) => message.text?.startsWith('Weekly Viam digest')),
    ).toHaveLength(1);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });
});

describe('stopping and restarting', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ connectDemoOrg: false, now: () => FIXED_NOW, emulator: { now: () => FIXED_NOW } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('an org connected through the modal survives a restart and keeps working', async () => {
    const org = stack.emulator.orgs[1];
    if (!org) throw new Error('the emulator fixture has no second org');
    const submitted = await stack.submitView(
      'viam_usage.connect_org',
      connectValues({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey, label: 'farms' }),
    );
    expect(ackJson(submitted.body).response_action).toBe('update');
    await stack.command(`access add <@${USERS.linus}>`);

    const portBefore = stack.app.port;
    await stack.restartApp();
    expect(stack.app.port).not.toBe(portBefore);

    const orgs = await stack.command('orgs');
    expect(orgs.answer?.body.text).toBe('1 Viam org is connected: farms (default).');
    const billing = await stack.command('billing --org farms', { user: USERS.linus });
    expect(messageText(billing.answer?.body)).toContain('accounts@rivet-farms.example');
  });

  it('stop() lets an answer in flight arrive, then resolves; later requests are refused', async () => {
    stack.emulator.knobs.setLatency('GetOrgBillingInformation', 1_000);
    const appUrl = stack.appUrl;
    const { ack, responseUrl } = await stack.command('billing', { waitForAnswer: false });
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(500);

    const stopped = stack.app.stop();
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect(messageText(answer.body)).toContain('accounts@rivet-farms.example');
    await expect(stopped).resolves.toBeUndefined();

    await expect(fetch(`${appUrl}/healthz`)).rejects.toThrow();
    await expect(
      sendSlashCommand({
        appUrl,
        signingSecret: stack.slack.app.signingSecret,
        team: SEED.team.id,
        user: USERS.ada,
        channel: SEED.channels.billing,
        text: 'help',
        responseUrl: stack.slack.responseUrl(),
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
    stack.emulator.knobs.reset();
    // The next test (and afterAll) need a running app again.
    await stack.restartApp();
  });
});

describe('Socket Mode', () => {
  let slack: SlackStandIn;
  let emulator: RunningEmulator;
  let app: RunningApp;
  let dataDir: string;

  beforeAll(async () => {
    [slack, emulator] = await Promise.all([startSlackStandIn(), startEmulator({ now: () => FIXED_NOW })]);
    dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-socket-'));
    const org = emulator.orgs[0];
    if (!org) throw new Error('the emulator fixture has no org');
    const config = loadConfig({
      SLACK_BOT_TOKEN: SEED.botToken,
      SLACK_APP_TOKEN: slack.app.appToken,
      SLACK_API_URL: slack.url,
      PORT: '0',
      VIAM_APP_URL: emulator.url,
      VIAM_ORG_ID: org.orgId,
      VIAM_API_KEY_ID: org.apiKeyId,
      VIAM_API_KEY: org.apiKey,
      DATA_DIR: dataDir,
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(config.slack.mode).toBe('socket');
    app = await startApp(config, { logger: silentLogger(), host: '127.0.0.1', now: () => FIXED_NOW });
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.stop();
    await emulator?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('connects with the app token and answers a slash command envelope on its response URL', async () => {
    expect(slack.calls('apps.connections.open')).toEqual([expect.objectContaining({ ok: true })]);
    expect(slack.socketMode.openConnections()).toBe(1);

    const responseUrl = slack.responseUrl();
    const payload = slashCommandFields({
      team: SEED.team,
      user: { id: USERS.ada, name: 'ada' },
      channel: { id: SEED.channels.billing, name: 'billing' },
      text: 'billing',
      responseUrl,
      triggerId: slack.triggerId(),
    });
    const ack = await slack.socketMode.sendEnvelope({ type: 'slash_commands', payload });
    expect(ack.ackMs).toBeLessThan(1_000);
    const answer = await slack.waitForResponse(responseUrl, undefined, 5_000);
    expect(messageText(answer.body)).toContain('billing@acme-robotics.example');
  });

  it('serves /healthz and nothing of Slack over HTTP', async () => {
    expect((await get(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);
    const events = await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', body: '{}' });
    expect(events.status).toBe(404);
  });
});

describe('start-up failures', () => {
  it('startApp rejects a bot token Slack refuses with one sentence for the operator', async () => {
    const slack = await startSlackStandIn();
    try {
      const config = loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-not-a-token-slack-knows',
        SLACK_SIGNING_SECRET: 'whatever',
        SLACK_API_URL: slack.url,
        DATA_DIR: path.join(tmpdir(), 'never-created'),
      });
      const started = startApp(config, { logger: silentLogger(), host: '127.0.0.1' });
      await expect(started).rejects.toBeInstanceOf(StartupError);
      await expect(started).rejects.toThrow(
        "Slack refused SLACK_BOT_TOKEN (invalid_auth). Copy the Bot User OAuth Token again from your app's OAuth & Permissions page.",
      );
    } finally {
      await slack.stop();
    }
  });

  describe('npm start (src/main.ts in a child process)', () => {
    const main = path.join(__dirname, '../src/main.ts');
    type Outcome = { code: number | null; stderr: string; stdout: string };
    let emptyEnv: Outcome;
    let refusedToken: Outcome;

    function runMain(cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--require', require.resolve('tsx/cjs'), main],
          { cwd, env, timeout: 15_000 },
          (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
        );
      });
    }

    // Both processes run at once: each spends most of its time compiling TypeScript.
    beforeAll(async () => {
      const cwd = await mkdtemp(path.join(tmpdir(), 'viam-billing-main-'));
      const slack = await startSlackStandIn();
      try {
        [emptyEnv, refusedToken] = await Promise.all([
          runMain(cwd, {}),
          runMain(cwd, {
            SLACK_BOT_TOKEN: 'xoxb-not-a-token-slack-knows',
            SLACK_SIGNING_SECRET: 'whatever',
            SLACK_API_URL: slack.url,
            PORT: '0',
          }),
        ]);
      } finally {
        await slack.stop();
        await rm(cwd, { recursive: true, force: true });
      }
    });

    it('with an empty environment: exit 1, one line per missing setting, the README and the demo, no stack trace', () => {
      const { code, stderr, stdout } = emptyEnv;
      expect(code).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.trim().split('\n');
      expect(lines[0]).toMatch(/^Configuration: SLACK_BOT_TOKEN is missing: .*README/);
      expect(lines[1]).toMatch(/^Configuration: SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is missing/);
      expect(lines[lines.length - 1]).toContain('README');
      expect(lines[lines.length - 1]).toContain('npm run demo');
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stderr).not.toContain('Error');
    });

    it('with a bot token Slack refuses: exit 1 with "Slack refused SLACK_BOT_TOKEN" and nothing else', () => {
      const { code, stderr } = refusedToken;
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        "Cannot start: Slack refused SLACK_BOT_TOKEN (invalid_auth). Copy the Bot User OAuth Token again from your app's OAuth & Permissions page.",
      );
      expect(stderr).not.toContain('xoxb-not-a-token-slack-knows');
    });
  });
});
