/**
 * Viam misbehaving while the app serves Slack: slower than the deadline, UNAVAILABLE bursts, a PDF
 * stream cut half-way, answers that are malformed or too large, a token revoked mid-session. Each time
 * the user gets the one sentence that fits, with a request ID; nothing half-done reaches Slack (no
 * partial file); the process stays up; and the next request works once Viam does.
 *
 * Already covered elsewhere (see README.md here): a burst longer than the retries and Viam stopped
 * outright (test/handlers/request.test.ts), an INTERNAL cut (test/services/invoice-share.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { type RecordedResponse, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { createBillingClient } from '../../src/billing';
import { limitViolations } from '../../src/blocks/limits';
import type { SlackMessage } from '../../src/blocks/message';
import {
  GetCurrentMonthUsageResponse,
  GetInvoicesSummaryResponse,
  SourceType,
  type UsageCostType,
} from '../../src/gen/viam/app/v1/billing';
import { rawInvoicePdf } from '../support/raw-viam';
import { CHANNELS, FIXED_NOW, LogCapture, messageText, status, useLocalStack } from '../support/stack';
import { type FaultApp, startFaultApp } from './support/fault-app';
import { MisbehavingViam, VALID_BILLING_EMAIL } from './support/misbehaving-viam';
import { expectNoSecret } from './support/secrets';

/** The latest invoice of the demo org; its PDF is made several chunks long where a test needs it. */
const LATEST = 'in_1Q5dwGLzZ8juh4cDOAY1alln';
const REQUEST_ID = /Request ID `[0-9a-f]{8}`/;
const UNAVAILABLE = 'Viam could not be reached just now. Try again in a minute.';
const REVOKED = 'Viam did not accept the API key. An org owner must create a new key and reconnect it.';
const TOO_SLOW = 'Viam took too long to answer. Try again in a minute.';

interface AnswerBody {
  text: string;
  blocks?: unknown[];
}

/** The answer's fallback text, after checking it carries a request ID and no secret. */
function failureText(result: { answer?: { body: AnswerBody } } | RecordedResponse | undefined): string {
  const body = (result && 'answer' in result ? result.answer?.body : (result as RecordedResponse | undefined)?.body) as
    | AnswerBody
    | undefined;
  if (!body) throw new Error('no answer');
  expect(messageText(body)).toMatch(REQUEST_ID);
  expectNoSecret(JSON.stringify(body));
  return body.text;
}

async function healthz(appUrl: string): Promise<number> {
  return (await fetch(`${appUrl}/healthz`)).status;
}

describe('Viam faults, end to end', () => {
  const log = new LogCapture();
  const stackOf = useLocalStack({ logDestination: log.destination });

  function acme() {
    const org = stackOf().emulator.orgs[0];
    if (!org) throw new Error('the emulator fixture has no org');
    return org;
  }

  /** Runs `invoice <id>` and waits until the share finished: an answer on the response URL or a completed file. */
  async function share(invoiceId: string) {
    const stack = stackOf();
    const result = await stack.command(`invoice ${invoiceId}`, { waitForAnswer: false });
    await stack.app.services.inFlight.drain(10_000);
    return { ...result, answers: stack.slack.responses(result.responseUrl) };
  }

  it('a PDF stream cut after some chunks: "try again", no file started in Slack; the next share is whole', async () => {
    const stack = stackOf();
    stack.emulator.knobs.setPdfSize(LATEST, 300_000);
    stack.emulator.knobs.cutPdfStreamAfter(2);

    const cut = await share(LATEST);
    expect(cut.answers).toHaveLength(1);
    expect(failureText(cut.answers[0])).toBe(UNAVAILABLE);
    // The PDF is fetched whole before Slack hears of it: no upload was even started.
    expect(stack.slack.calls('files.getUploadURLExternal')).toEqual([]);
    expect(stack.slack.uploadedFiles()).toEqual([]);
    expect(stack.slack.messagesIn(CHANNELS.billing)).toEqual([]);

    stack.emulator.knobs.cutPdfStreamAfter(undefined);
    const whole = await share(LATEST);
    expect(whole.answers).toEqual([]);
    const files = stack.slack.uploadedFiles();
    expect(files).toHaveLength(1);
    expect(files[0]?.bytes.equals(await rawInvoicePdf(stack.emulator, acme(), LATEST))).toBe(true);
  });

  it('an UNAVAILABLE burst shorter than the retries is invisible to the user', async () => {
    const stack = stackOf();
    stack.emulator.knobs.failNext('GetInvoicesSummary', 2, status.UNAVAILABLE);
    const { answer } = await stack.command('invoices');
    expect(answer?.body.text).toMatch(/^Viam invoices for default: outstanding balance \$519\.65\./);
    expect(stack.emulator.knobs.callCount('GetInvoicesSummary')).toBe(3);
  });

  it('a token expired mid-session is renewed once, unseen; a key revoked mid-session says to reconnect, and nothing is shared', async () => {
    const stack = stackOf();
    await stack.command('billing');
    const authenticates = stack.emulator.knobs.callCount('Authenticate');

    stack.emulator.knobs.expireAllTokens();
    const renewed = await stack.command('billing');
    expect(messageText(renewed.answer?.body)).toContain('billing@acme-robotics.example');
    expect(stack.emulator.knobs.callCount('Authenticate')).toBe(authenticates + 1);

    stack.emulator.knobs.revokeKey(acme().apiKeyId);
    expect(failureText(await stack.command('billing'))).toBe(REVOKED);
    const refused = await share(LATEST);
    expect(refused.answers.map((answer) => (answer.body as { text: string }).text)).toEqual([REVOKED]);
    expect(stack.slack.calls('files.getUploadURLExternal')).toEqual([]);

    // A key that works again (an owner reconnected it) is used at once: nothing was cached as broken.
    stack.emulator.knobs.reset();
    expect(messageText((await stack.command('billing')).answer?.body)).toContain('billing@acme-robotics.example');
    expect(await healthz(stack.appUrl)).toBe(200);
  });

  it('an answer over the 32 MiB message limit: a sentence that fits a list (not a "file"), then the next read works', async () => {
    const stack = stackOf();
    const huge = GetInvoicesSummaryResponse.fromPartial({
      outstandingBalance: 1,
      invoices: [{ id: 'in_huge', status: 'x'.repeat(33 * 1024 * 1024) }],
    });
    stack.emulator.knobs.setInvoicesResponse(acme().orgId, huge);
    const text = failureText(await stack.command('invoices'));
    expect(text).toBe(
      'Viam’s answer is larger than this app accepts, so it cannot be shown. Tell your admin if it keeps happening.',
    );
    stack.emulator.knobs.setInvoicesResponse(acme().orgId, undefined);
    expect((await stack.command('invoices')).answer?.body.text).toMatch(/^Viam invoices for default/);
  });

  it('well-formed but absurd usage (no dates, NaN and huge costs, unknown types, markup, thousands of lines) renders within Slack’s limits', async () => {
    const stack = stackOf();
    const lines = Array.from({ length: 3_000 }, (_, index) => ({
      resourceType: (index % 7 === 0 ? 999 : index % 40) as UsageCostType,
      cost: index % 5 === 0 ? Number.NaN : index % 3 === 0 ? -1e300 : 1e300,
    }));
    stack.emulator.knobs.setUsageResponse(
      acme().orgId,
      GetCurrentMonthUsageResponse.fromPartial({
        startDate: undefined,
        endDate: undefined,
        subtotal: Number.POSITIVE_INFINITY,
        resourceUsageCostsBySource: [
          {
            sourceType: 77 as SourceType,
            tierName: `<!channel> &amp; <@U0ADAOWNER> ${'tier '.repeat(2_000)}`,
            resourceUsageCosts: {
              usageCosts: lines,
              discount: Number.NaN,
              totalWithDiscount: -0,
              totalWithoutDiscount: 1,
            },
          },
          { sourceType: SourceType.SOURCE_TYPE_ORG, resourceUsageCosts: undefined, tierName: '' },
        ],
      }),
    );
    for (const command of ['usage', '']) {
      const { answer } = await stack.command(command);
      const body = answer?.body as SlackMessage | undefined;
      if (!body) throw new Error(`no answer to "${command}"`);
      expect(limitViolations({ text: body.text, blocks: body.blocks ?? [] })).toEqual([]);
      expect(messageText(body)).not.toContain('<!channel>');
    }
    expect(await healthz(stack.appUrl)).toBe(200);
  });
});

describe('Viam slower than the deadline', () => {
  let emulator: RunningEmulator;
  let slack: SlackStandIn;
  let dataDir: string;
  let app: FaultApp;

  beforeAll(async () => {
    [emulator, slack] = await Promise.all([startEmulator({ now: () => FIXED_NOW }), startSlackStandIn()]);
    dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-faults-'));
    // The production deadlines (15 s, 60 s for a PDF) made short, so the test waits a fraction of a second.
    app = await startFaultApp({ emulator, slack, dataDir }, async (logger) => ({
      now: () => FIXED_NOW,
      billing: createBillingClient({
        url: emulator.url,
        deadlineMs: 400,
        pdfDeadlineMs: 400,
        logger: logger.child({ component: 'billing' }),
      }),
    }));
  });

  afterAll(async () => {
    await app?.stop();
    await slack?.stop();
    await emulator?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    emulator.knobs.reset();
    slack.resetRecords();
  });

  it('a read past the deadline: acked at once, "took too long", not retried; the next read works', async () => {
    emulator.knobs.setLatency('GetOrgBillingInformation', 1_500);
    const slow = await app.command('billing');
    expect(slow.ack.status).toBe(200);
    expect(failureText(slow)).toBe(TOO_SLOW);
    expect(emulator.knobs.callCount('GetOrgBillingInformation')).toBe(1);

    emulator.knobs.setLatency('GetOrgBillingInformation', 0);
    expect(messageText((await app.command('billing')).answer?.body)).toContain('billing@acme-robotics.example');
  });

  it('a PDF past its deadline: "took too long" and no file; the next share uploads it', async () => {
    emulator.knobs.setLatency('GetInvoicePdf', 1_500);
    expect(failureText(await app.command(`invoice ${LATEST}`))).toBe(TOO_SLOW);
    expect(slack.calls('files.getUploadURLExternal')).toEqual([]);

    emulator.knobs.setLatency('GetInvoicePdf', 0);
    await app.command(`invoice ${LATEST}`, { waitForAnswer: false });
    await slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
    expect(slack.uploadedFiles()).toHaveLength(1);
  });
});

describe('Viam answering bytes that are not a protobuf message', () => {
  let viam: MisbehavingViam;
  let emulator: RunningEmulator;
  let slack: SlackStandIn;
  let dataDir: string;
  let app: FaultApp;

  beforeAll(async () => {
    // The emulator only lends the fixture's org and key, which the misbehaving server accepts.
    [viam, emulator, slack] = await Promise.all([MisbehavingViam.start(), startEmulator(), startSlackStandIn()]);
    dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-faults-'));
    app = await startFaultApp({ emulator: { url: viam.url, orgs: emulator.orgs }, slack, dataDir });
  });

  afterAll(async () => {
    await app?.stop();
    await viam?.stop();
    await slack?.stop();
    await emulator?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is an error on our side for the user, not a crash; once Viam answers properly again it works', async () => {
    viam.mode = 'garbage';
    const broken = await app.command('billing');
    expect(failureText(broken)).toBe(
      'Something went wrong while talking to Viam. Try again, and tell your admin if it keeps happening.',
    );
    expect(app.log.find('request failed')).toHaveLength(1);
    expect(await healthz(app.url)).toBe(200);

    viam.mode = 'valid';
    expect(messageText((await app.command('billing')).answer?.body)).toContain(VALID_BILLING_EMAIL);
    expect(viam.calls).toBe(2);
  });
});
