import { infoNotice } from '../../blocks/notices';
import { shareInvoicePdf } from '../../services/invoice-share';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';

/** `/viam-usage invoice <id>` and the Share PDF button: the invoice PDF, shared into the channel as a file. */
export async function shareInvoice(request: SlackRequest, options: { org?: string; invoiceId: string }): Promise<void> {
  const opened = await openOrgForViewing(request, options.org);
  if (!opened) return;
  if (!request.channelId) {
    await request.reply(infoNotice('Run `/viam-usage invoice <id>` in the channel where the PDF should go.'));
    return;
  }
  const shared = await shareInvoicePdf({
    client: request.client,
    dispatcher: request.services.outbound.dispatcher,
    billing: request.billing,
    key: opened.key,
    orgId: opened.org.orgId,
    orgLabel: opened.org.label,
    invoiceId: options.invoiceId,
    channelId: request.channelId,
    userId: request.userId,
    logger: request.logger,
  });
  request.logger.info({ fileId: shared.fileId, invoiceId: options.invoiceId }, 'invoice PDF shared');
}
