import type { App } from '@slack/bolt';
import {
  ACTION_SHARE_INVOICE_PDF,
  ACTION_SHOW_BILLING,
  ACTION_SHOW_INVOICES,
  ACTION_SHOW_USAGE,
  SLASH_COMMAND,
  VIEW_CONNECT_ORG,
} from '../blocks/ids';
import type { AppServices } from '../services/app-services';
import { shareInvoicePdfAction } from './actions/share-invoice-pdf';
import { showDetailsAction } from './actions/show-details';
import { showBillingInfo } from './commands/billing';
import { showInvoices } from './commands/invoices';
import { showUsage } from './commands/usage';
import { viamUsageCommand } from './commands/viam-usage';
import { appHomeOpened } from './events/app-home-opened';
import { appUninstalled } from './events/app-uninstalled';
import { tokensRevoked } from './events/tokens-revoked';
import { connectOrgSubmission } from './views/connect-org';

/** Every listener of the app, registered in one place. */
export function registerListeners(app: App, services: AppServices): void {
  // Work continues after ack(); counting it lets shutdown wait for answers still on their way.
  app.use(async ({ next }) => {
    await services.inFlight.track(next());
  });

  app.command(SLASH_COMMAND, viamUsageCommand(services));

  app.action(ACTION_SHOW_USAGE, showDetailsAction(services, showUsage, 'action:show-usage'));
  app.action(ACTION_SHOW_INVOICES, showDetailsAction(services, showInvoices, 'action:show-invoices'));
  app.action(ACTION_SHOW_BILLING, showDetailsAction(services, showBillingInfo, 'action:show-billing'));
  app.action(ACTION_SHARE_INVOICE_PDF, shareInvoicePdfAction(services));

  app.view(VIEW_CONNECT_ORG, connectOrgSubmission(services));

  app.event('app_home_opened', appHomeOpened(services));
  app.event('app_uninstalled', appUninstalled(services));
  app.event('tokens_revoked', tokensRevoked(services));
}
