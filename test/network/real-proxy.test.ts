/**
 * The same transports as outbound.test.ts, through Debian's tinyproxy instead of our own CONNECT proxy:
 * a proxy we did not write accepts our tunnels for the Web API, response URLs, uploads, Socket Mode and
 * Viam's gRPC. tinyproxy resolves names itself, so the stand-ins stay on 127.0.0.1 here, and its log
 * shows every CONNECT. Without the binary (`npm run tool:tinyproxy`, which CI runs) it says so and skips.
 */
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { type RunningTinyproxy, startTinyproxy, TINYPROXY_BINARY, tinyproxyAvailable } from '../../dev/proxy/tinyproxy';
import { SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { createOutbound, type Outbound } from '../../src/network/outbound';
import { readProxySettings } from '../../src/network/proxy-settings';
import { answerAtResponseUrl, callWebApi, connectSocketMode, readBillingEmail, uploadFile } from './support/transports';

const available = tinyproxyAvailable();
if (!available) {
  console.log(
    `Real-proxy test skipped: no tinyproxy at ${TINYPROXY_BINARY}; run \`npm run tool:tinyproxy\` to fetch it.`,
  );
}

(available ? describe : describe.skip)('every outbound transport through tinyproxy', () => {
  let tinyproxy: RunningTinyproxy;
  let slack: SlackStandIn;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    [tinyproxy, slack, emulator] = await Promise.all([startTinyproxy(), startSlackStandIn(), startEmulator()]);
  });

  afterAll(async () => {
    await Promise.all([tinyproxy?.stop(), slack?.stop(), emulator?.stop()]);
  });

  const slackTarget = () => `127.0.0.1:${new URL(slack.url).port}`;

  // A fresh transport for each, so a tunnel kept alive by an earlier call cannot stand in for a new one.
  it.each([
    ['the Web API', (via: Outbound) => expect(callWebApi(slack, via)).resolves.toBe(SEED.team.id)],
    [
      'an answer at a response URL',
      (via: Outbound) => expect(answerAtResponseUrl(slack, via)).resolves.toEqual(['Spend: $12.00']),
    ],
    [
      'file bytes to the upload host',
      (via: Outbound) => expect(uploadFile(slack, via)).resolves.toBe('%PDF-1.4 invoice'),
    ],
    ['Socket Mode', (via: Outbound) => expect(connectSocketMode(slack, via)).resolves.toBe(1)],
  ])('carries %s to Slack', async (_what, call) => {
    const before = tinyproxy.connects().length;
    const via = createOutbound(readProxySettings({ HTTP_PROXY: tinyproxy.url }));
    try {
      await call(via);
      expect(tinyproxy.connects().slice(before)).toContain(slackTarget());
    } finally {
      await via.close();
    }
  });

  it("carries Viam's gRPC", async () => {
    const before = tinyproxy.connects().length;
    await expect(readBillingEmail(emulator, readProxySettings({ HTTP_PROXY: tinyproxy.url }))).resolves.toContain('@');
    expect(tinyproxy.connects().slice(before)).toEqual([`127.0.0.1:${emulator.port}`]);
  });

  it('is bypassed for what NO_PROXY lists', async () => {
    const before = tinyproxy.connects().length;
    const direct = createOutbound(readProxySettings({ HTTP_PROXY: tinyproxy.url, NO_PROXY: '127.0.0.1' }));
    try {
      await expect(callWebApi(slack, direct)).resolves.toBe(SEED.team.id);
      await expect(readBillingEmail(emulator, direct.settings)).resolves.toContain('@');
      expect(tinyproxy.connects().slice(before)).toEqual([]);
    } finally {
      await direct.close();
    }
  });
});
