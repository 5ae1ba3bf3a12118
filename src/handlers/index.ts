import type {
  App,
  Middleware,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { FEEDBACK_ACTION_PATTERN } from '../blocks/alert-feedback';
import {
  ACTION_HOME_ACCESS,
  ACTION_HOME_BUDGET,
  ACTION_HOME_CONNECT,
  ACTION_HOME_DIGESTS,
  ACTION_HOME_DISCONNECT,
  ACTION_HOME_SHARE_PDF,
  ACTION_SHARE_INVOICE_PDF,
  ACTION_SHOW_BILLING,
  ACTION_SHOW_INVOICES,
  ACTION_SHOW_USAGE,
  SLASH_COMMAND,
  VIEW_CONNECT_ORG,
  VIEW_HOME_ACCESS,
  VIEW_HOME_BUDGET,
  VIEW_HOME_CONNECT_ORG,
  VIEW_HOME_DIGESTS,
  VIEW_HOME_SHARE_PDF,
} from '../blocks/ids';
import type { AppServices } from '../services/app-services';
import { alertFeedbackAction } from './actions/alert-feedback';
import { homeAccessAction } from './actions/home-access';
import { homeBudgetAction } from './actions/home-budget';
import { homeConnectAction } from './actions/home-connect';
import { homeDigestsAction } from './actions/home-digests';
import { homeDisconnectAction } from './actions/home-disconnect';
import { homeSharePdfAction } from './actions/home-share-pdf';
import { shareInvoicePdfAction } from './actions/share-invoice-pdf';
import { showDetailsAction } from './actions/show-details';
import { showBillingInfo } from './commands/billing';
import { showInvoices } from './commands/invoices';
import { showUsage } from './commands/usage';
import { viamUsageCommand } from './commands/viam-usage';
import { appHomeOpened } from './events/app-home-opened';
import { appUninstalled } from './events/app-uninstalled';
import { tokensRevoked } from './events/tokens-revoked';
import { type KnownInteractions, unknownInteractions } from './unknown-interactions';
import { connectOrgSubmission } from './views/connect-org';
import { homeAccessSubmission } from './views/home-access';
import { homeBudgetSubmission } from './views/home-budget';
import { homeConnectOrgSubmission } from './views/home-connect-org';
import { homeDigestsSubmission } from './views/home-digests';
import { homeSharePdfSubmission } from './views/home-share-pdf';

/** Every listener of the app, registered in one place. */
export function registerListeners(app: App, services: AppServices): void {
  // Work continues after ack(); counting it lets shutdown wait for answers still on their way.
  app.use(async ({ next }) => {
    await services.inFlight.track(next());
  });

  // Each action and view registered below is noted, so the middleware can tell which ones no listener knows.
  const known: KnownInteractions = { actions: [], views: [] };
  app.use(unknownInteractions(services, known));
  const action = <A extends SlackAction>(id: string | RegExp, listener: Middleware<SlackActionMiddlewareArgs<A>>) => {
    known.actions.push(id);
    app.action<A>(id, listener);
  };
  const view = <V extends SlackViewAction>(id: string | RegExp, listener: Middleware<SlackViewMiddlewareArgs<V>>) => {
    known.views.push(id);
    app.view<V>(id, listener);
  };

  app.command(SLASH_COMMAND, viamUsageCommand(services));

  action(ACTION_SHOW_USAGE, showDetailsAction(services, showUsage, 'action:show-usage'));
  action(ACTION_SHOW_INVOICES, showDetailsAction(services, showInvoices, 'action:show-invoices'));
  action(ACTION_SHOW_BILLING, showDetailsAction(services, showBillingInfo, 'action:show-billing'));
  action(ACTION_SHARE_INVOICE_PDF, shareInvoicePdfAction(services));
  action(FEEDBACK_ACTION_PATTERN, alertFeedbackAction(services));

  view(VIEW_CONNECT_ORG, connectOrgSubmission(services));

  // The App Home tab's buttons and the forms they open.
  action(ACTION_HOME_CONNECT, homeConnectAction(services));
  action(ACTION_HOME_ACCESS, homeAccessAction(services));
  action(ACTION_HOME_DIGESTS, homeDigestsAction(services));
  action(ACTION_HOME_BUDGET, homeBudgetAction(services));
  action(ACTION_HOME_DISCONNECT, homeDisconnectAction(services));
  action(ACTION_HOME_SHARE_PDF, homeSharePdfAction(services));
  view(VIEW_HOME_CONNECT_ORG, homeConnectOrgSubmission(services));
  view(VIEW_HOME_ACCESS, homeAccessSubmission(services));
  view(VIEW_HOME_DIGESTS, homeDigestsSubmission(services));
  view(VIEW_HOME_BUDGET, homeBudgetSubmission(services));
  view(VIEW_HOME_SHARE_PDF, homeSharePdfSubmission(services));

  app.event('app_home_opened', appHomeOpened(services));
  app.event('app_uninstalled', appUninstalled(services));
  app.event('tokens_revoked', tokensRevoked(services));
}
