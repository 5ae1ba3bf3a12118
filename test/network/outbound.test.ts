/**
 * Every outbound transport of the app through a real CONNECT proxy on loopback (dev/proxy). The Slack
 * stand-in hands out URLs under a name only the proxy resolves, so a call that went around the proxy
 * fails to resolve; the proxy records every tunnel. Viam's gRPC goes to the emulator at `localhost`,
 * which the proxy alone maps here unless NO_PROXY says otherwise. The same over TLS, with the app in
 * its own process, is test/app-proxy.test.ts; through Debian's tinyproxy, real-proxy.test.ts.
 */
import { logVerbosity, setLogVerbosity } from '@grpc/grpc-js';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { type RunningConnectProxy, startConnectProxy } from '../../dev/proxy/connect-proxy';
import { SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { createOutbound, type Outbound } from '../../src/network/outbound';
import { readProxySettings } from '../../src/network/proxy-settings';
import { answerAtResponseUrl, callWebApi, connectSocketMode, readBillingEmail, uploadFile } from './support/transports';

// grpc-js reports a refused tunnel on the console, and retries in the background after its channel
// is closed; the refusal is asserted below through the client's own error.
setLogVerbosity(logVerbosity.NONE);

const SLACK_HOST = 'slack.proxy-only.test';

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
const tunnelsTo = (host: string, port: string | number, since: number) =>
  proxy.connects.slice(since).filter((connect) => connect.target === `${host}:${port}` && connect.status === 200);

describe('Slack through the proxy', () => {
  it('reaches the Web API only through the proxy, named in upper or lower case', async () => {
    for (const env of [{ HTTP_PROXY: proxy.url }, { http_proxy: proxy.url }]) {
      const before = proxy.connects.length;
      await expect(callWebApi(slack, outboundWith(env))).resolves.toBe(SEED.team.id);
      expect(tunnelsTo(SLACK_HOST, slackPort(), before).length).toBeGreaterThan(0);
    }
    await expect(callWebApi(slack, outboundWith({}))).rejects.toThrow();
  });

  it('answers at a response URL through the proxy', async () => {
    const before = proxy.connects.length;
    await expect(answerAtResponseUrl(slack, outboundWith({ HTTP_PROXY: proxy.url }))).resolves.toEqual([
      'Spend: $12.00',
    ]);
    expect(tunnelsTo(SLACK_HOST, slackPort(), before).length).toBeGreaterThan(0);
    await expect(answerAtResponseUrl(slack, outboundWith({}))).rejects.toThrow();
  });

  it('sends file bytes to the upload host through the proxy', async () => {
    await expect(uploadFile(slack, outboundWith({ HTTP_PROXY: proxy.url }))).resolves.toBe('%PDF-1.4 invoice');
    expect(proxy.refusedRequests).toBe(0);
  });

  it('opens the Socket Mode WebSocket and apps.connections.open through the proxy', async () => {
    const before = proxy.connects.length;
    await expect(connectSocketMode(slack, outboundWith({ HTTP_PROXY: proxy.url }))).resolves.toBe(1);
    expect(slack.calls('apps.connections.open')).not.toHaveLength(0);
    // One tunnel for apps.connections.open, one for the WebSocket.
    expect(tunnelsTo(SLACK_HOST, slackPort(), before).length).toBeGreaterThanOrEqual(2);
  });

  it('authenticates to a proxy that asks for credentials, and fails without them', async () => {
    const guarded = await startConnectProxy({
      hosts: { [SLACK_HOST]: '127.0.0.1' },
      credentials: { user: 'svc-billing', password: 'p@ss:word' },
    });
    try {
      const withCredentials = `http://svc-billing:${encodeURIComponent('p@ss:word')}@127.0.0.1:${guarded.port}`;
      await expect(callWebApi(slack, outboundWith({ HTTP_PROXY: withCredentials }))).resolves.toBe(SEED.team.id);
      await expect(callWebApi(slack, outboundWith({ HTTP_PROXY: guarded.url }))).rejects.toThrow();
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
      const bypassing = outboundWith({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost, 127.0.0.1' });
      await expect(callWebApi(onLoopback, bypassing)).resolves.toBe(SEED.team.id);
      expect(proxy.connects.slice(before)).toEqual([]);

      // Not listed: the call goes to the proxy, which does not know 127.0.0.1 and refuses the tunnel.
      const proxied = outboundWith({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' });
      await expect(callWebApi(onLoopback, proxied)).rejects.toThrow();
      expect(proxy.connects.slice(before)).toContainEqual({ target: `127.0.0.1:${port}`, status: 502 });
    } finally {
      await onLoopback.stop();
    }
  });
});

describe("Viam's gRPC through the proxy", () => {
  it('tunnels with CONNECT, upper or lower case, and reads billing', async () => {
    for (const env of [{ HTTP_PROXY: proxy.url }, { http_proxy: proxy.url }]) {
      const before = proxy.connects.length;
      await expect(readBillingEmail(emulator, readProxySettings(env))).resolves.toContain('@');
      expect(tunnelsTo('localhost', emulator.port, before)).toHaveLength(1);
    }
  });

  it('dials directly what NO_PROXY lists', async () => {
    const before = proxy.connects.length;
    const settings = readProxySettings({ HTTP_PROXY: proxy.url, no_proxy: 'example.org,localhost' });
    await expect(readBillingEmail(emulator, settings)).resolves.toContain('@');
    expect(proxy.connects.slice(before)).toEqual([]);
  });

  it('fails with the usual sentence when the proxy refuses the tunnel', async () => {
    const refusing = await startConnectProxy({ hosts: {} });
    try {
      await expect(readBillingEmail(emulator, readProxySettings({ HTTP_PROXY: refusing.url }))).rejects.toThrow(
        /Viam could not be reached/,
      );
      expect(refusing.connects).toContainEqual({ target: `localhost:${emulator.port}`, status: 502 });
    } finally {
      await refusing.stop();
    }
  });
});
