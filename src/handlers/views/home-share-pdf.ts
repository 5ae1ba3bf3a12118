import { channelProblemText, formErrors } from '../../blocks/home-form';
import { readSharePdfForm } from '../../blocks/home-share-pdf-modal';
import { decodeButtonValue, SHARE_PDF_FORM } from '../../blocks/ids';
import { CHANNEL_ID } from '../../digest/schedules';
import type { AppServices } from '../../services/app-services';
import { channelProblem } from '../../services/digest-settings';
import { shareInvoicePdf } from '../../services/invoice-share';
import { findOrg } from '../../store';
import { homeSubmission } from './home-submission';

/**
 * Where to share an invoice PDF picked from the Home tab. The channel is checked before the modal
 * closes; the PDF itself can take longer than Slack waits for an answer, so it is fetched and shared
 * after, and a failure then reaches the user as a direct message from the app.
 */
export function homeSharePdfSubmission(services: AppServices) {
  return homeSubmission(services, {
    listener: 'view:home-share-pdf',
    rights: 'view',
    problemBlock: SHARE_PDF_FORM.channel.block,
    async handle(request, form) {
      const target = decodeButtonValue(form.privateMetadata);
      const org = target ? findOrg(form.workspace, target.org) : undefined;
      const invoiceId = target?.invoice;
      if (!org || !invoiceId) {
        return {
          errors: formErrors(SHARE_PDF_FORM, {
            channel: 'That invoice’s org is no longer connected. Close this form and open the Home tab again.',
          }),
        };
      }
      const { channelId } = readSharePdfForm(form.values);
      if (channelId === undefined || !CHANNEL_ID.test(channelId)) {
        return { errors: formErrors(SHARE_PDF_FORM, { channel: 'Pick the channel the PDF should go to.' }) };
      }
      const problem = await channelProblem(request.client, channelId);
      if (problem) return { errors: formErrors(SHARE_PDF_FORM, { channel: channelProblemText(problem) }) };
      const key = await services.store.workspaces.revealApiKey(request.ref, org.label);
      return {
        done: true,
        afterAck: async () => {
          const shared = await shareInvoicePdf({
            client: request.client,
            dispatcher: request.services.outbound.dispatcher,
            billing: request.billing,
            key,
            orgId: org.orgId,
            orgLabel: org.label,
            invoiceId,
            channelId,
            userId: request.userId,
            logger: request.logger,
          });
          request.logger.info({ fileId: shared.fileId, invoiceId }, 'invoice PDF shared from the Home tab');
        },
      };
    },
  });
}
