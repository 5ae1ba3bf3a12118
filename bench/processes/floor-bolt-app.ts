/**
 * The floor of the ack-latency benchmark: the least a `/viam-usage` overview can cost. Served and
 * started like the bare app (`lib/baseline-bolt-app.ts`), it acks, then makes the overview's three
 * Viam reads with the app's own billing client, renders them with the app's own `renderOverview` and
 * POSTs the result with the app's own response-URL client. Nothing else: no store, no access check, no
 * log lines, no metrics, no answer lane. Our app's CPU per command above this one's is what the rest of
 * the command path costs.
 */
import { createBillingClient } from '../../src/billing';
import { renderOverview } from '../../src/blocks/overview';
import { silentLogger } from '../../src/logger';
import { createOutbound } from '../../src/network/outbound';
import { loadOverview } from '../../src/services/overview';
import { ResponseUrlClient } from '../../src/slack/response-url';
import { requiredEnv, serveBaselineApp } from '../lib/baseline-bolt-app';

serveBaselineApp((app) => {
  const billing = createBillingClient({ url: requiredEnv('VIAM_APP_URL') });
  const answers = new ResponseUrlClient(createOutbound().dispatcher);
  const key = { id: requiredEnv('VIAM_API_KEY_ID'), key: requiredEnv('VIAM_API_KEY') };
  const orgId = requiredEnv('VIAM_ORG_ID');
  const logger = silentLogger();
  app.command('/viam-usage', async ({ ack, command }) => {
    await ack();
    const data = await loadOverview(billing, key, orgId, logger);
    const message = renderOverview(data, { orgLabel: 'default', timeZone: 'UTC', now: new Date() });
    await answers.post(command.response_url, {
      response_type: 'ephemeral',
      replace_original: false,
      text: message.text,
      blocks: message.blocks,
    });
  });
});
