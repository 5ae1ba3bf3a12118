/**
 * The baseline of the ack-latency benchmark: a Bolt app that only acks `/viam-usage`, served and
 * started like the real app (`lib/baseline-bolt-app.ts`).
 */
import { serveBaselineApp } from '../lib/baseline-bolt-app';

serveBaselineApp((app) => {
  app.command('/viam-usage', async ({ ack }) => {
    await ack();
  });
});
