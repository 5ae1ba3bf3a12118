import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, type AppOptions, LogLevel } from '@slack/bolt';
import { SEED, type SlackStandIn } from '../../../dev/slack-stand-in';
import { silentLogger } from './web-client';

/**
 * Options for a minimal Bolt App wired to the stand-in: the seed team's bot token with botId/botUserId given, so
 * Bolt makes no auth.test at start, and every Web API call goes to the stand-in.
 */
export function boltOptions(standIn: SlackStandIn): AppOptions {
  return {
    token: SEED.botToken,
    botId: SEED.botId,
    botUserId: SEED.botUserId,
    clientOptions: { slackApiUrl: standIn.url, retryConfig: { retries: 0 }, logger: silentLogger },
    logger: silentLogger,
    logLevel: LogLevel.ERROR,
  };
}

/** `/ping` acks at once and answers "pong" through respond(), i.e. the response_url. */
export function addPingCommand(app: App): void {
  app.command('/ping', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: 'pong' });
  });
}

export async function startHttpApp(app: App): Promise<string> {
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
