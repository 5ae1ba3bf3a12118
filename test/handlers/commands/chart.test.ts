/**
 * `/viam-usage chart` end to end: a signed slash command to the real app, usage read from the emulator
 * over gRPC, snapshots and the budget from the app's store, and the PNG uploaded to the Slack stand-in.
 */
import { PNG } from 'pngjs';
import { UsageSnapshots } from '../../../src/digest/snapshots';
import { snapshot } from '../../charts/fixtures';
import { CHANNELS, FIXED_NOW, messageText, SEED, status, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack();
const REF = { teamId: SEED.team.id };

function acme() {
  const org = stackOf().emulator.orgs[0];
  if (!org) throw new Error('the emulator fixture has no org');
  return { org, key: { id: org.apiKeyId, key: org.apiKey } };
}

async function chartIn(channel: string, options: { user?: string; text?: string } = {}) {
  const stack = stackOf();
  const result = await stack.command(options.text ?? 'chart', {
    channel,
    waitForAnswer: false,
    ...(options.user ? { user: options.user } : {}),
  });
  expect(result.ack.status).toBe(200);
  return result;
}

async function uploaded() {
  const stack = stackOf();
  await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 10_000);
  const [file] = stack.slack.uploadedFiles();
  if (!file) throw new Error('no file was uploaded');
  const [urlCall] = stack.slack.calls('files.getUploadURLExternal').filter((call) => call.ok);
  return { file, altText: String(urlCall?.args.alt_text ?? '') };
}

describe('/viam-usage chart', () => {
  afterEach(async () => {
    await stackOf().app.services.budgets.remove(REF, acme().org.orgId);
  });

  it('uploads an 800×450 PNG of this month into the channel, described in words', async () => {
    const stack = stackOf();
    await chartIn(CHANNELS.billing);
    const { file, altText } = await uploaded();

    expect(file.channel).toBe(CHANNELS.billing);
    expect(file.filename).toBe('default-spend-2026-11.png');
    expect(file.title).toBe('default — spend, 1–26 Nov 2026');
    expect(file.mimetype).toBe('image/png');
    const png = PNG.sync.read(file.bytes);
    expect([png.width, png.height]).toEqual([800, 450]);
    let drawn = 0;
    for (let at = 0; at < png.data.length; at += 4) {
      if (png.data[at] !== 255 || png.data[at + 1] !== 255 || png.data[at + 2] !== 255) drawn++;
    }
    expect(drawn).toBeGreaterThan(20_000);

    const { org, key } = acme();
    const usage = await stack.app.services.billing.getCurrentMonthUsage(key, org.orgId);
    const total = usage.subtotal.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
    // No snapshots yet: the months Viam already invoiced stand in for the history, named as invoices.
    const invoices = await stack.app.services.billing.getInvoicesSummary(key, org.orgId);
    const october = invoices.invoices.find((invoice) => invoice.date?.toISOString().startsWith('2026-11-01'));
    const octoberTotal = october?.amount.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
    expect(octoberTotal).toBeDefined();
    expect(file.initialComment).toBe(
      `<@${USERS.ada}> shared the Viam spend chart of default: ${total} month to date (1–26 Nov 2026). ` +
        `Viam invoiced ${octoberTotal} for October 2026 (with tax and credits).`,
    );
    expect(altText).toContain(`Month to date: ${total}.`);
    expect(altText).toMatch(/Invoiced months, with tax and credits: May 2026 \$[\d,.]+, .*Oct 2026 \$[\d,.]+\./);
    expect(altText).toContain('No budget set.');
    // The file in the channel is the whole answer.
    expect(stack.slack.messagesIn(CHANNELS.billing).at(-1)?.files).toEqual([file.id]);
    expect(stack.slack.responses()).toEqual([]);
  });

  it('draws the snapshots the app kept and the budget', async () => {
    const stack = stackOf();
    const { org, key } = acme();
    const usage = await stack.app.services.billing.getCurrentMonthUsage(key, org.orgId);
    const snapshots = new UsageSnapshots(stack.app.services.store, () => FIXED_NOW);
    const october = { start: '2026-10-01T00:00:00.000Z', end: '2026-10-31T23:59:59.999Z' };
    await snapshots.add(REF, org.orgId, snapshot(october, '2026-10-20T09:00:00.000Z', 123.45));
    await snapshots.add(REF, org.orgId, snapshot(october, '2026-10-31T09:00:00.000Z', 222.22));
    await stack.app.services.budgets.set(REF, {
      orgId: org.orgId,
      amount: 750,
      channelId: CHANNELS.billing,
      setBy: USERS.ada,
      setAt: FIXED_NOW.toISOString(),
    });

    await chartIn(CHANNELS.billing);
    const { altText, file } = await uploaded();
    expect(altText).toContain('The previous period had reached $123.45 by day 26');
    // The last period's line replaces the invoiced months.
    expect(altText).not.toContain('Invoiced months');
    expect(altText).toContain(`Budget $750.00, ${Math.round((usage.subtotal / 750) * 100)}% used.`);
    expect(file.initialComment).toContain('Budget $750.00');
  });

  it('someone without access gets the refusal and no file', async () => {
    const stack = stackOf();
    const { responseUrl } = await chartIn(CHANNELS.billing, { user: USERS.linus });
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toMatch(/^You don’t have access to Viam billing/);
    expect(stack.slack.calls('files.getUploadURLExternal')).toEqual([]);
    expect(stack.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(0);
  });

  it('a private channel the app is not in: the /invite sentence and no file', async () => {
    const stack = stackOf();
    const { responseUrl } = await chartIn(CHANNELS.leadership);
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'I am not a member of this channel. Invite me with `/invite @viam-billing` and try again.',
    });
    expect(messageText(answer.body)).toMatch(/Request ID `[0-9a-f]{8}`/);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('a public channel the app is not in: it joins, then uploads', async () => {
    const stack = stackOf();
    await chartIn(CHANNELS.random);
    const { file } = await uploaded();
    expect(file.channel).toBe(CHANNELS.random);
    expect(stack.slack.calls('conversations.join').map((call) => call.args.channel)).toEqual([CHANNELS.random]);
  });

  it('an org that is not connected is named, and nothing is drawn', async () => {
    const stack = stackOf();
    const { responseUrl } = await chartIn(CHANNELS.billing, { text: 'chart --org nope' });
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toMatch(/^No connected org is called `nope`/);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('a Viam failure answers in words and uploads nothing', async () => {
    const stack = stackOf();
    stack.emulator.knobs.failNext('GetCurrentMonthUsage', 5, status.UNAVAILABLE);
    const { responseUrl } = await chartIn(CHANNELS.billing);
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 10_000);
    expect((answer.body as { text: string }).text).toBe('Viam could not be reached just now. Try again in a minute.');
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });
});
