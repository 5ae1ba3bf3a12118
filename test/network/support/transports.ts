/**
 * One call over each outbound transport of the app, for the proxy tests: the Web API, an answer at a
 * response URL, file bytes to the upload host, the Socket Mode connection and a Viam gRPC read.
 */
import { LogLevel, webApi } from '@slack/bolt';
import type { RunningEmulator } from '../../../dev/emulator';
import { SEED, type SlackStandIn } from '../../../dev/slack-stand-in';
import { createBillingClient } from '../../../src/billing';
import { silentLogger } from '../../../src/logger';
import type { Outbound } from '../../../src/network/outbound';
import type { ProxySettings } from '../../../src/network/proxy-settings';
import { shareFileInChannel } from '../../../src/services/file-upload';
import { ResponseUrlClient } from '../../../src/slack/response-url';
import { slackApiOf } from '../../../src/slack/slack-api';
import { socketModeReceiver } from '../../../src/slack/socket-mode-receiver';

/** A Web API client as the app makes them; calls meant to fail are not retried and print nothing. */
export function webClient(slack: SlackStandIn, outbound: Outbound): webApi.WebClient {
  return new webApi.WebClient(SEED.botToken, {
    ...slackApiOf(slack.url, outbound),
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
}

export async function callWebApi(slack: SlackStandIn, outbound: Outbound): Promise<string> {
  return (await webClient(slack, outbound).auth.test()).team_id as string;
}

/** Posts an answer at a fresh response URL; resolves with the text the stand-in received. */
export async function answerAtResponseUrl(slack: SlackStandIn, outbound: Outbound): Promise<string[]> {
  const responseUrl = slack.responseUrl();
  await new ResponseUrlClient(outbound.dispatcher).post(responseUrl, { text: 'Spend: $12.00' });
  return slack.responses(responseUrl).map((response) => (response.body as { text: string }).text);
}

/** Shares a two-part file; resolves with the bytes the stand-in stored. */
export async function uploadFile(slack: SlackStandIn, outbound: Outbound): Promise<string | undefined> {
  const { fileId } = await shareFileInChannel({
    client: webClient(slack, outbound),
    dispatcher: outbound.dispatcher,
    channelId: SEED.channels.billing,
    file: [Buffer.from('%PDF-1.4 '), Buffer.from('invoice')],
    filename: 'invoice.pdf',
    title: 'Invoice',
    what: 'an invoice',
    logger: silentLogger(),
  });
  return slack
    .uploadedFiles()
    .find((file) => file.id === fileId)
    ?.bytes.toString();
}

/** Connects Socket Mode as the app does, and resolves with the stand-in's count of open connections. */
export async function connectSocketMode(slack: SlackStandIn, outbound: Outbound): Promise<number> {
  const receiver = socketModeReceiver({
    appToken: slack.app.appToken,
    slackApi: slackApiOf(slack.url, outbound),
    dispatcher: outbound.dispatcher,
    logger: silentLogger(),
  });
  await receiver.client.start();
  try {
    return slack.socketMode.openConnections();
  } finally {
    await receiver.client.disconnect();
  }
}

/** Reads the first demo org's billing email through the app's billing client. */
export async function readBillingEmail(emulator: RunningEmulator, proxy: ProxySettings): Promise<string> {
  const org = emulator.orgs[0];
  if (!org) throw new Error('the emulator has no demo org');
  const billing = createBillingClient({ url: emulator.url, proxy, retry: { attempts: 1, baseDelayMs: 1 } });
  try {
    return (await billing.getOrgBillingInformation({ id: org.apiKeyId, key: org.apiKey }, org.orgId)).billingEmail;
  } finally {
    billing.close();
  }
}
