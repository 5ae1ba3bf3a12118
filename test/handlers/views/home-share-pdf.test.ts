/** Sharing an invoice PDF picked in the Home tab into the channel chosen in the form. */
import { encodeButtonValue, SHARE_PDF_FORM, VIEW_HOME_SHARE_PDF } from '../../../src/blocks/ids';
import { resetHomeState, shareValues, submitForm, TEAM } from '../../home/home-stack';
import { CHANNELS, messageText, status, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });
const INVOICE = 'in_1Q5dwGLzZ8juh4cDOAY1alln';

function submit(channel: string | undefined, user: string = USERS.linus, metadata?: string) {
  return submitForm(stackOf(), VIEW_HOME_SHARE_PDF, shareValues(channel), {
    user,
    privateMetadata: metadata ?? encodeButtonValue({ org: 'default', invoice: INVOICE }),
  });
}

describe('Home Share PDF form', () => {
  it('closes, then shares the PDF into the channel picked', async () => {
    const stack = stackOf();
    await stack.app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const ack = await submit(CHANNELS.billing);
    expect(ack.json).toEqual({});
    await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 10_000);
    const [file] = stack.slack.uploadedFiles();
    expect(file?.filename).toBe(`viam-invoice-2026-10-${INVOICE}.pdf`);
    expect(file?.channel).toBe(CHANNELS.billing);
    expect(file?.initialComment).toBe(`<@${USERS.linus}> shared the Viam invoice ${INVOICE} for default.`);
    expect(file?.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('asks for another channel when the app cannot post in the one picked', async () => {
    const stack = stackOf();
    const ack = await submit(CHANNELS.leadership, USERS.ada);
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: {
        [SHARE_PDF_FORM.channel.block]:
          'I cannot see that channel. If it is private, invite me with /invite @viam-billing first.',
      },
    });
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('tells the user in a direct message when Viam fails after the form closed', async () => {
    const stack = stackOf();
    stack.emulator.knobs.failNext('GetInvoicePdf', 5, status.UNAVAILABLE);
    const ack = await submit(CHANNELS.billing, USERS.ada);
    expect(ack.json).toEqual({});
    const dm = await stack.slack.waitForCall('chat.postMessage', (call) => call.args.channel === USERS.ada, 10_000);
    expect(dm.ok).toBe(true);
    expect(messageText(dm.args)).toMatch(/^:x: .+\./m);
    expect(messageText(dm.args)).toMatch(/Request ID `[0-9a-f]{8}`/);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('refuses someone without access, and shares nothing', async () => {
    const stack = stackOf();
    const ack = await submit(CHANNELS.billing, USERS.mei);
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: {
        [SHARE_PDF_FORM.channel.block]:
          'You don’t have access to Viam billing in this workspace. Ask a workspace admin to run /viam-usage access add @you.',
      },
    });
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });
});
