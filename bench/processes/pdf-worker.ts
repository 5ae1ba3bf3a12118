/**
 * One invoice PDF from the emulator to a Slack file upload, through the app's own code (the billing
 * client's streamed GetInvoicePdf, then shareInvoicePdf's files.uploadV2), alone in this process so
 * the memory it takes can be sampled cleanly. Started with --expose-gc, once per measurement.
 */
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { SEED } from '../../dev/slack-stand-in';
import { createBillingClient } from '../../src/billing';
import { createLogger } from '../../src/logger';
import { createOutbound } from '../../src/network/outbound';
import { shareInvoicePdf } from '../../src/services/invoice-share';
import { serveParent } from '../lib/ipc';
import { collectGarbage, RssSampler } from '../lib/rss';

export interface ShareRequest {
  emulatorUrl: string;
  slackApiUrl: string;
  botToken: string;
  org: { orgId: string; apiKeyId: string; apiKey: string };
  /** Shared first, so connections, token and code paths are warm before the measured share. */
  warmUpInvoiceId: string;
  invoiceId: string;
}

async function share(request: ShareRequest) {
  const logger = createLogger({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
  const billing = createBillingClient({ url: request.emulatorUrl, logger });
  const outbound = createOutbound();
  const client = new webApi.WebClient(request.botToken, { slackApiUrl: request.slackApiUrl, fetch: outbound.fetch });
  const shareOne = (invoiceId: string) =>
    shareInvoicePdf({
      client,
      dispatcher: outbound.dispatcher,
      billing,
      key: { id: request.org.apiKeyId, key: request.org.apiKey },
      orgId: request.org.orgId,
      orgLabel: 'default',
      invoiceId,
      channelId: SEED.channels.billing,
      userId: SEED.users.ada,
      logger,
    });
  try {
    await shareOne(request.warmUpInvoiceId);
    collectGarbage();
    const baselineBytes = process.memoryUsage.rss();
    const sampler = new RssSampler(5);
    sampler.start();
    const started = performance.now();
    const shared = await shareOne(request.invoiceId);
    const wallMs = performance.now() - started;
    const { peakBytes, samples } = sampler.stop();
    return { wallMs, baselineBytes, peakBytes, samples, fileId: shared.fileId ?? '' };
  } finally {
    billing.close();
  }
}

export type PdfWorkerHandlers = { share: typeof share };

serveParent({ share } satisfies PdfWorkerHandlers);
