/**
 * What the ack benchmark's reference apps share: a Bolt app served the way the real app serves Slack
 * (Bolt's HTTPReceiver behind a plain Node HTTP server, signature checks on), started the same way (its
 * own Node process through tsx), answering `/readyz` so the bench waits for every app alike.
 */
import { createServer } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const SLACK_EVENTS_PATH = '/slack/events';

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** Builds the app, lets `register` add its listeners, and serves it on `PORT` until SIGTERM. */
export function serveBaselineApp(register: (app: App) => void): void {
  try {
    const receiver = new HTTPReceiver({
      signingSecret: requiredEnv('SLACK_SIGNING_SECRET'),
      endpoints: [SLACK_EVENTS_PATH],
    });
    const app = new App({
      token: requiredEnv('SLACK_BOT_TOKEN'),
      botId: requiredEnv('BENCH_BOT_ID'),
      botUserId: requiredEnv('BENCH_BOT_USER_ID'),
      receiver,
      logLevel: LogLevel.INFO,
      clientOptions: { slackApiUrl: requiredEnv('SLACK_API_URL') },
    });
    register(app);
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === SLACK_EVENTS_PATH) {
        void receiver.requestListener(req, res);
        return;
      }
      res.writeHead(path === '/readyz' ? 200 : 404, { 'content-type': 'application/json' }).end('{}\n');
    });
    server.keepAliveTimeout = 5_000;
    server.listen(Number(requiredEnv('PORT')), '127.0.0.1');
    process.once('SIGTERM', () => server.close(() => process.exit(0)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
