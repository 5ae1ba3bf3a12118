/**
 * Invoice PDFs shared as Slack files, end to end: `/viam-usage invoice <id>` fetches the PDF from the
 * emulator over gRPC and uploads it with files.uploadV2 to the stand-in, which keeps the exact bytes.
 */
import { rawInvoicePdf } from '../support/raw-viam';
import { CHANNELS, messageText, SEED, status, USERS, useLocalStack } from '../support/stack';

const stackOf = useLocalStack();

const LATEST = 'in_1Q5dwGLzZ8juh4cDOAY1alln';
/** Dated Oct 1, 2026 (billing September). */
const OCTOBER = 'in_1Q2BhDaOacqzETivG1yBpcAF';

function acme() {
  const org = stackOf().emulator.orgs[0];
  if (!org) throw new Error('the emulator fixture has no org');
  return org;
}

async function shareIn(channel: string, invoiceId = OCTOBER) {
  const stack = stackOf();
  const result = await stack.command(`invoice ${invoiceId}`, { channel, waitForAnswer: false });
  expect(result.ack.status).toBe(200);
  return result;
}

describe('invoice PDF into a channel', () => {
  it('uploads the PDF byte for byte as Viam serves it, named by the month billed and ID, with a title naming the org', async () => {
    const stack = stackOf();
    await shareIn(CHANNELS.billing);
    const complete = await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
    expect(complete.args.channel_id).toBe(CHANNELS.billing);

    const [file] = stack.slack.uploadedFiles();
    if (!file) throw new Error('no file was uploaded');
    expect(file.filename).toBe(`viam-invoice-2026-09-${OCTOBER}.pdf`);
    expect(file.title).toBe(`Viam invoice ${OCTOBER} · default · September 2026 usage`);
    expect(file.channel).toBe(CHANNELS.billing);
    expect(file.mimetype).toBe('application/pdf');
    expect(file.initialComment).toBe(`<@${USERS.ada}> shared the Viam invoice ${OCTOBER} for default.`);
    expect(file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const served = await rawInvoicePdf(stack.emulator, acme(), OCTOBER);
    expect(file.bytes.length).toBe(served.length);
    expect(file.bytes.equals(served)).toBe(true);
    expect(file.declaredLength).toBe(served.length);

    // The file is shared in the channel as a message everyone there sees.
    const [message] = stack.slack.messagesIn(CHANNELS.billing).slice(-1);
    expect(message?.files).toEqual([file.id]);
    expect(stack.slack.calls('conversations.join')).toEqual([]);
    // A file in the channel is the whole answer: no extra message on the response URL.
    expect(stack.slack.responses()).toEqual([]);
  });

  it('a large PDF in many gRPC chunks still arrives whole', async () => {
    const stack = stackOf();
    stack.emulator.knobs.setPdfSize(LATEST, 300_000);
    await shareIn(CHANNELS.billing, LATEST);
    await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
    const [file] = stack.slack.uploadedFiles();
    expect(file?.filename).toBe(`viam-invoice-2026-10-${LATEST}.pdf`);
    expect(file?.bytes.length).toBe(300_000);
    expect(file?.bytes.equals(await rawInvoicePdf(stack.emulator, acme(), LATEST))).toBe(true);
  });

  it('a public channel the app is not in: it joins, then uploads', async () => {
    const stack = stackOf();
    expect(stack.slack.workspace.channel(CHANNELS.random)?.members).not.toContain(SEED.botUserId);
    await shareIn(CHANNELS.random);
    await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
    expect(stack.slack.calls('conversations.join')).toEqual([
      expect.objectContaining({ ok: true, args: expect.objectContaining({ channel: CHANNELS.random }) }),
    ]);
    expect(stack.slack.uploadedFiles().map((file) => file.channel)).toEqual([CHANNELS.random]);
    expect(stack.slack.workspace.channel(CHANNELS.random)?.members).toContain(SEED.botUserId);
  });

  it('a private channel the app is not in: a clear /invite sentence and no file', async () => {
    const stack = stackOf();
    const { responseUrl } = await shareIn(CHANNELS.leadership);
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'I am not a member of this channel. Invite me with `/invite @viam-billing` and try again.',
    });
    expect(messageText(answer.body)).toMatch(/Request ID `[0-9a-f]{8}`/);
    expect(stack.slack.calls('conversations.join')).toEqual([]);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('a private channel the app is in works like any other', async () => {
    const stack = stackOf();
    await shareIn(CHANNELS.finance);
    await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
    expect(stack.slack.uploadedFiles().map((file) => file.channel)).toEqual([CHANNELS.finance]);
  });

  it('an archived channel is named as the reason', async () => {
    const stack = stackOf();
    const { responseUrl } = await shareIn(CHANNELS.oldProjects);
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toBe('This channel is archived, so I cannot post in it.');
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('the DM with the app', async () => {
    const stack = stackOf();
    const { channel: dm } = stack.slack.workspace.openIm(SEED.team.id, USERS.ada);
    expect(dm.id).toMatch(/^D/);
    await shareIn(dm.id);
    await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
    const [file] = stack.slack.uploadedFiles();
    expect(file?.channel).toBe(dm.id);
    expect(file?.bytes.equals(await rawInvoicePdf(stack.emulator, acme(), OCTOBER))).toBe(true);
  });
});

describe('invoice PDF failures', () => {
  it('an unknown invoice ID: check the ID, and nothing is uploaded', async () => {
    const stack = stackOf();
    const { responseUrl } = await shareIn(CHANNELS.billing, 'in_doesnotexist');
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toBe(
      'Viam has no invoice in_doesnotexist for this organization. Check the invoice ID and try again.',
    );
    expect(stack.slack.calls('files.getUploadURLExternal')).toEqual([]);
  });

  it('a malformed invoice ID is refused without asking Viam for a PDF', async () => {
    const stack = stackOf();
    const { responseUrl } = await shareIn(CHANNELS.billing, '../../etc/passwd');
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toMatch(
      /^The invoice ID must be 1 to \d+ letters, digits, "_" or "-", like in_/,
    );
    expect(stack.emulator.knobs.callCount('GetInvoicePdf')).toBe(0);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('a PDF stream cut half-way leaves no half file in Slack', async () => {
    const stack = stackOf();
    stack.emulator.knobs.cutPdfStreamAfter(1, status.INTERNAL);
    const { responseUrl } = await shareIn(CHANNELS.billing);
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toMatch(/Viam/);
    expect(stack.slack.calls('files.getUploadURLExternal')).toEqual([]);
  });
});
