/**
 * Where to share an invoice PDF from the Home tab, which has no channel of its own. The org and
 * invoice travel in `private_metadata`, encoded like the Share PDF button's value.
 */
import { section } from './build';
import { inlineCode } from './format';
import { inputBlock, plainText, readConversation, type SubmittedValues } from './home-form';
import { encodeButtonValue, SHARE_PDF_FORM, VIEW_HOME_SHARE_PDF } from './ids';
import { SLACK_LIMITS } from './limits';
import type { ModalView } from './message';

/** Undefined when the org and invoice would not fit the metadata (they always do for real IDs). */
export function sharePdfModal(options: { orgLabel: string; invoiceId: string }): ModalView | undefined {
  const metadata = encodeButtonValue({ org: options.orgLabel, invoice: options.invoiceId });
  if (metadata === undefined || metadata.length > SLACK_LIMITS.privateMetadata) return undefined;
  return {
    type: 'modal',
    callback_id: VIEW_HOME_SHARE_PDF,
    private_metadata: metadata,
    title: plainText('Share invoice PDF', SLACK_LIMITS.modalTitle),
    submit: plainText('Share', SLACK_LIMITS.modalButton),
    close: plainText('Cancel', SLACK_LIMITS.modalButton),
    blocks: [
      section(
        `Share the PDF of invoice ${inlineCode(options.invoiceId)} of ${inlineCode(options.orgLabel)} as a file in a channel.`,
      ),
      inputBlock({
        input: SHARE_PDF_FORM.channel,
        label: 'Channel',
        element: {
          type: 'conversations_select',
          placeholder: plainText('Pick a channel'),
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
        hint: 'Public channels are joined automatically; invite the app to a private one first.',
      }),
    ],
  };
}

export function readSharePdfForm(values: SubmittedValues): { channelId?: string } {
  return { channelId: readConversation(values, SHARE_PDF_FORM.channel) };
}
