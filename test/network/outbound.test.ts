/**
 * Every outbound transport of the app through a real CONNECT proxy on loopback (dev/proxy). The Slack
 * stand-in hands out URLs under a name only the proxy resolves, so a call that went around the proxy
 * fails to resolve; the proxy records every tunnel. Viam's gRPC goes to the emulator at `localhost`,
 * which the proxy alone maps here unless NO_PROXY says otherwise. The same over TLS, with the app in
 * its own process, is test/app-proxy.test.ts.
 */
import { logVerbosity, setLogVerbosity } from '@grpc/grpc-js';
import { LogLevel, webApi } from '@slack/bolt';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { type RunningConnectProxy, startConnectProxy } from '../../dev/proxy/connect-proxy';
import { SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { createBillingClient } from '../../src/billing';
import { silentLogger } from '../../src/logger';
import { createOutbound, type Outbound } from '../../src/network/outbound';
import { type ProxySettings, readProxySettings } from '../../src/network/proxy-settings';
import { shareFileInChannel } from '../../src/services/file-upload';
import { ResponseUrlClient } from '../../src/slack/response-url';
import { slackApiOf } from '../../src/slack/slack-api';
import { socketModeReceiver } from '../../src/slack/socket-mode-receiver';

// grpc-js reports a refused tunnel on the console, and retries in the background after its channel
// is closed; the refusal is asserted below through the client's own error.
setLogVerbosity(logVerbosity.NONE);

const SLACK_HOST = 'slack.proxy-only.test';
/** Calls that are meant to fail are not retried, and the client's console warnings stay out of the test output. */
const QUIET = { retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR };

let proxy: RunningConnectProxy;
let slack: SlackStandIn;
let emulator: RunningEmulator;
const opened: Outbound[] = [];

beforeAll(async () => {
  proxy = await startConnectProxy({ hosts: { [SLACK_HOST]: '127.0.0.1', localhost: '127.0.0.1' } });
  slack = await startSlackStandIn({ urlHost: SLACK_HOST });
  emulator = await startEmulator({ urlHost: 'localhost' });
});

afterAll(async () => {
  await Promise.all(opened.map((outbound) => outbound.close()));
  await Promise.all([proxy?.stop(), slack?.stop(), emulator?.stop()]);
});

function outboundWith(env: NodeJS.ProcessEnv): Outbound {
  const outbound = createOutbound(readProxySettings(env));
  opened.push(outbound);
  return outbound;
}

const slackPort = () => new URL(slack.url).port;
const tunnelsTo = (host: string, port: string | number, since = 0) =>
  proxy.connects.slice(since).filter((connect) => connect.target === `${host}:${port}` && connect.status === 200);

describe('Slack through the proxy', () => {
  it('reaches the Web API only through the proxy', async () => {
    const before = proxy.connects.length;
    const viaProxy = outboundWith({ HTTP_PROXY: proxy.url });
    const client = new webApi.WebClient(SEED.botToken, { ...slackApiOf(slack.url, viaProxy), ...QUIET });
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true, team_id: SEED.team.id });
    expect(tunnelsTo(SLACK_HOST, slackPort(), before).length).toBeGreaterThan(0);

    const direct = outboundWith({});
    const around = new webApi.WebClient(SEED.botToken, { ...slackApiOf(slack.url, direct), ...QUIET });
    await expect(around.auth.test()).rejects.toThrow();
  });

  it('reads the lower-case variable as well', async () => {
    const before = proxy.connects.length;
    const client = new webApi.WebClient(SEED.botToken, {
      ...slackApiOf(slack.url, outboundWith({ http_proxy: proxy.url })),
      ...QUIET,
    });
    await client.auth.test();
    expect(tunnelsTo(SLACK_HOST, slackPort(), before).length).toBeGreaterThan(0);
  });

  it('answers at a response URL through the proxy', async () => {
    const before = proxy.connects.length;
    const responseUrl = slack.responseUrl();
    expect(new URL(responseUrl).hostname).toBe(SLACK_HOST);
    const answers = new ResponseUrlClient(outboundWith({ HTTP_PROXY: proxy.url }).dispatcher);
    await answers.post(responseUrl, { text: 'Spend: $12.00' });
    expect(slack.responses(responseUrl).map((response) => (response.body as { text: string }).text)).toEqual([
      'Spend: $12.00',
    ]);
    expect(tunnelsTo(SLACK_HOST, slackPort(), before).length).toBeGreaterThan(0);
  });

  it('sends file bytes to the upload host through the proxy', async () => {
    const viaProxy = outboundWith({ HTTP_PROXY: proxy.url });
    const client = new webApi.WebClient(SEED.botToken, { ...slackApiOf(slack.url, viaProxy), ...QUIET });
    const { fileId } = await shareFileInChannel({
      client,
      dispatcher: viaProxy.dispatcher,
      channelId: SEED.channels.billing,
      file: [Buffer.from('%PDF-1.4 '), Buffer.from('invoice')],
      filename: 'invoice.pdf',
      title: 'Invoice',
      what: 'an invoice',
      logger: silentLogger(),
    });
    const uploaded = slack.uploadedFiles().find((file) => file.id === fileId);
    expect(uploaded?.bytes.toString()).toBe('%PDF-1.4 invoice');
    expect(proxy.refusedRequests).toBe(0);
  });

  it('opens the Socket Mode WebSocket and apps.connections.open through the proxy', async () => {
    const before = proxy.connects.length;
    const viaProxy = outboundWith({ HTTP_PROXY: proxy.url });
    const receiver = socketModeReceiver({
      appToken: slack.app.appToken,
      slackApi: slackApiOf(slack.url, viaProxy),
      dispatcher: viaProxy.dispatcher,
      logger: silentLogger(),
    });
    await receiver.client.start();
    try {
      expect(slack.socketMode.openConnections()).toBe(1);
      expect(slack.calls('apps.connections.open')).not.toHaveLength(0);
      // One tunnel for apps.connections.open, one for the WebSocket.
      expect(tunnelsTo(SLACK_HOST, slackPort(), before).length).toBeGreaterThanOrEqual(2);
    } finally {
      await receiver.client.disconnect();
    }
  });

  it('authenticates to a proxy that asks for credentials, and fails without them', async () => {
    const guarded = await startConnectProxy({
      hosts: { [SLACK_HOST]: '127.0.0.1' },
      credentials: { user: 'svc-billing', password: 'p@ss:word' },
    });
    try {
      const withCredentials = `http://svc-billing:${encodeURIComponent('p@ss:word')}@127.0.0.1:${guarded.port}`;
      const good = new webApi.WebClient(SEED.botToken, {
        ...slackApiOf(slack.url, outboundWith({ HTTPS_PROXY: withCredentials, HTTP_PROXY: withCredentials })),
        ...QUIET,
      });
      await expect(good.auth.test()).resolves.toMatchObject({ ok: true });
      const bad = new webApi.WebClient(SEED.botToken, {
        ...slackApiOf(slack.url, outboundWith({ HTTP_PROXY: guarded.url })),
        ...QUIET,
      });
      await expect(bad.auth.test()).rejects.toThrow();
      expect(guarded.connects.map((connect) => connect.status)).toEqual(expect.arrayContaining([200, 407]));
    } finally {
      await guarded.stop();
    }
  });

  it('goes directly to what NO_PROXY lists, and through the proxy otherwise', async () => {
    const onLoopback = await startSlackStandIn();
    try {
      const port = new URL(onLoopback.url).port;
      const before = proxy.connects.length;
      const bypassing = new webApi.WebClient(SEED.botToken, {
        ...slackApiOf(onLoopback.url, outboundWith({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost, 127.0.0.1' })),
        ...QUIET,
      });
      await expect(bypassing.auth.test()).resolves.toMatchObject({ ok: true });
      expect(proxy.connects.slice(before)).toEqual([]);

      // Not listed: the call goes to the proxy, which does not know 127.0.0.1 and refuses the tunnel.
      const proxied = new webApi.WebClient(SEED.botToken, {
        ...slackApiOf(onLoopback.url, outboundWith({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' })),
        ...QUIET,
      });
      await expect(proxied.auth.test()).rejects.toThrow();
      expect(proxy.connects.slice(before)).toContainEqual({ target: `127.0.0.1:${port}`, status: 502 });
    } finally {
      await onLoopback.stop();
    }
  });
});

describe("Viam's gRPC through the proxy", () => {
  const readBillingEmail = async (proxySettings: ProxySettings) => {
    const org = emulator.orgs[0];
    if (!org) throw new Error('the emulator has no demo org');
    const billing = createBillingClient({
      url: emulator.url,
      proxy: proxySettings,
      retry: { attempts: 1, baseDelayMs: 1 },
    });
    try {
      return (await billing.getOrgBillingInformation({ id: org.apiKeyId, key: org.apiKey }, org.orgId)).billingEmail;
    } finally {
      billing.close();
    }
  };

  it('tunnels with CONNECT, upper or lower case, and reads billing', async () => {
    for (const env of [{ HTTP_PROXY: proxy.url }, { http_proxy: proxy.url }]) {
      const before = proxy.connects.length;
      await expect(readBillingEmail(readProxySettings(env))).resolves.toContain('@');
      expect(tunnelsTo('localhost', emulator.port, before)).toHaveLength(1);
    }
  });

  it('dials directly what NO_PROXY lists', async () => {
    const before = proxy.connects.length;
    await expect(
      readBillingEmail(readProxySettings({ HTTP_PROXY: proxy.url, no_proxy: 'example.org,localhost' })),
    ).resolves.toContain('@');
    expect(proxy.connects.slice(before)).toEqual([]);
  });

  it('fails with the usual sentence when the proxy refuses the tunnel', async () => {
    const refusing = await startConnectProxy({ hosts: {} });
    try {
      await expect(readBillingEmail(readProxySettings({ HTTP_PROXY: refusing.url }))).rejects.toThrow(
        /Viam could not be reached/,
      );
      expect(refusing.connects).toContainEqual({ target: `localhost:${emulator.port}`, status: 502 });
    } finally {
      await refusing.stop();
    }
  });
});
