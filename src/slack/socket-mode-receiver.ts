import { SocketModeReceiver } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Logger } from '../logger';
import { boltLogger } from './bolt-logger';
import type { SlackApi } from './slack-api';

/**
 * Bolt's Socket Mode receiver with the app's outbound transport. `App({ socketMode: true })` would
 * build one with a dispatcher of its own, which never goes through a proxy: the WebSocket and
 * apps.connections.open are then the one connection a firewall stops (bolt-js issue 772).
 */
export function socketModeReceiver(input: {
  appToken: string;
  slackApi: SlackApi;
  dispatcher: Dispatcher;
  logger: Logger;
}): SocketModeReceiver {
  return new SocketModeReceiver({
    appToken: input.appToken,
    dispatcher: input.dispatcher,
    logger: boltLogger(input.logger),
    // A copy: the Socket Mode client writes its own retry settings into the options it is given.
    installerOptions: { clientOptions: { ...input.slackApi } },
  });
}
