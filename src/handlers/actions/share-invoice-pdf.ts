import { errorNotice } from '../../blocks/notices';
import type { AppServices } from '../../services/app-services';
import { shareInvoice } from '../commands/invoice';
import { answering } from '../request';
import { type ButtonArgs, buttonRequest } from './button-request';

/** "Share PDF" on an invoice row or a digest: the invoice PDF into the channel the button is in. */
export function shareInvoicePdfAction(services: AppServices) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const { request, value } = await buttonRequest(args, services, 'action:share-invoice-pdf');
    if (!value) return;
    const invoiceId = value.invoice;
    if (!invoiceId) {
      await request.reply(errorNotice('That button names no invoice. Run `/viam-usage invoices` again.'));
      return;
    }
    const outcome = await answering(request, () => shareInvoice(request, { org: value.org, invoiceId }));
    services.metrics.action('action:share-invoice-pdf', outcome);
  };
}
