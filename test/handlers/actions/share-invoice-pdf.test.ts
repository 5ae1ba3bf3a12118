/**
 * The "Share PDF" button end to end: pressed on a rendered invoices list, it uploads that invoice's
 * PDF to the channel the button is in.
 */
import { rawInvoicePdf } from '../../support/raw-viam';
import { buttonsOf, CHANNELS, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack();

describe('Share PDF button', () => {
  it('shares the PDF of the invoice on its row into the channel', async () => {
    const stack = stackOf();
    const { answer } = await stack.command('invoices', { channel: CHANNELS.general });
    const share = buttonsOf(answer?.body ?? {}).find((button) => button.text === 'Share PDF');
    if (!share?.value) throw new Error('no Share PDF button');
    const { invoice } = JSON.parse(share.value) as { invoice: string };

    const pressed = await stack.pressButton(share.actionId, share.value, {
      channel: CHANNELS.general,
      waitForAnswer: false,
    });
    expect(pressed.ack.status).toBe(200);
    await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
    const [file] = stack.slack.uploadedFiles();
    expect(file?.channel).toBe(CHANNELS.general);
    expect(file?.filename).toBe(`viam-invoice-2026-10-${invoice}.pdf`);
    const org = stack.emulator.orgs[0];
    if (!org) throw new Error('the emulator fixture has no org');
    expect(file?.bytes.equals(await rawInvoicePdf(stack.emulator, org, invoice))).toBe(true);
  });

  it('a value without an invoice is refused politely', async () => {
    const stack = stackOf();
    const pressed = await stack.pressButton('viam_usage.share_invoice_pdf', JSON.stringify({ org: 'default' }));
    expect(pressed.answer?.body.text).toBe('That button names no invoice. Run `/viam-usage invoices` again.');
    expect(stack.emulator.knobs.callCount('GetInvoicePdf')).toBe(0);
  });

  it('a garbage value is refused politely and nothing is uploaded', async () => {
    const stack = stackOf();
    const pressed = await stack.pressButton('viam_usage.share_invoice_pdf', '{"org":"default","invoice":');
    expect(pressed.answer?.body.text).toBe('That button is out of date. Run the command again.');
    expect(stack.slack.calls('files.getUploadURLExternal')).toEqual([]);
  });

  it('a member without access cannot share', async () => {
    const stack = stackOf();
    const value = JSON.stringify({ org: 'default', invoice: 'in_1Q5dwGLzZ8juh4cDOAY1alln' });
    const pressed = await stack.pressButton('viam_usage.share_invoice_pdf', value, { user: USERS.mei });
    expect(pressed.answer?.body.text).toMatch(/^You don’t have access to Viam billing/);
    expect(stack.emulator.knobs.callCount('GetInvoicePdf')).toBe(0);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });
});
