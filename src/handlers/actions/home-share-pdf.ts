import { sharePdfModal } from '../../blocks/home-share-pdf-modal';
import { errorNotice } from '../../blocks/notices';
import type { AppServices } from '../../services/app-services';
import { openOrgForViewing } from '../org-access';
import { homeButton } from './home-request';

/**
 * "Share PDF" on an invoice in the Home tab. The tab has no channel to share into, so the press asks
 * for one; the submission (handlers/views/home-share-pdf.ts) shares the file.
 */
export function homeSharePdfAction(services: AppServices) {
  return homeButton(services, 'action:home-share-pdf', async (request, value) => {
    if (!value?.invoice) {
      return request.reply(errorNotice('That button is out of date. Open the Home tab again.'));
    }
    const opened = await openOrgForViewing(request, value.org);
    if (!opened) return;
    const view = sharePdfModal({ orgLabel: opened.org.label, invoiceId: value.invoice });
    if (!view) return request.reply(errorNotice('That button is out of date. Open the Home tab again.'));
    await request.client.views.open({ trigger_id: request.triggerId ?? '', view });
  });
}
