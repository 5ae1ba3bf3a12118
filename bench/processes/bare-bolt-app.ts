/**
 * The baseline of the ack-latency benchmark: a Bolt app that only acks `/viam-usage`, served the way
 * the real app serves Slack (Bolt's HTTPReceiver behind a plain Node HTTP server, signature checks
 * on) and started the same way (its own Node process through tsx). It also answers `/readyz`, so the
 * bench waits for both apps alike.
 */
import { createServer } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const SLACK_EVENTS_PATH = '/slack/events';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const receiver = new HTTPReceiver({
    signingSecret: required('SLACK_SIGNING_SECRET'),
    endpoints: [SLACK_EVENTS_PATH],
  });
  const app = new App({
    token: required('SLACK_BOT_TOKEN'),
    botId: required('BENCH_BOT_ID'),
    botUserId: required('BENCH_BOT_USER_ID'),
    receiver,
    logLevel: LogLevel.INFO,
    clientOptions: { slackApiUrl: required('SLACK_API_URL') },
  });
  app.command('/viam-usage', async ({ ack }) => {
    await ack();
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === SLACK_EVENTS_PATH) {
      void receiver.requestListener(req, res);
      return;
    }
    res.writeHead(path === '/readyz' ? 200 : 404, { 'content-type': 'application/json' }).end('{}\n');
  });
  server.keepAliveTimeout = 5_000;
  server.listen(Number(required('PORT')), '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
