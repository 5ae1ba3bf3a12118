import { readSharePdfForm, sharePdfModal } from '../../src/blocks/home-share-pdf-modal';
import { decodeButtonValue, SHARE_PDF_FORM, VIEW_HOME_SHARE_PDF } from '../../src/blocks/ids';
import { blockText, expectValidView } from './helpers';

describe('sharePdfModal', () => {
  it('asks for a channel, carrying the org and invoice for the submission', () => {
    const view = sharePdfModal({ orgLabel: 'acme', invoiceId: 'in_123' });
    if (!view) throw new Error('expected a modal');
    expectValidView(view);
    expect(view.callback_id).toBe(VIEW_HOME_SHARE_PDF);
    expect(decodeButtonValue(view.private_metadata)).toEqual({ org: 'acme', invoice: 'in_123' });
    expect(blockText(view)).toContain('Share the PDF of invoice `in_123` of `acme` as a file in a channel.');
  });

  it('gives up on an invoice ID too long to carry', () => {
    expect(sharePdfModal({ orgLabel: 'acme', invoiceId: 'x'.repeat(2100) })).toBeUndefined();
  });
});

describe('readSharePdfForm', () => {
  it('reads the channel picked', () => {
    expect(
      readSharePdfForm({
        [SHARE_PDF_FORM.channel.block]: { [SHARE_PDF_FORM.channel.action]: { selected_conversation: 'C0BILLING0' } },
      }),
    ).toEqual({ channelId: 'C0BILLING0' });
  });
});
