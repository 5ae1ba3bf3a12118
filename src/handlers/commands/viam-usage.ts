import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { renderHelp, renderUnknownCommand } from '../../blocks/help';
import { errorNotice } from '../../blocks/notices';
import type { AppServices } from '../../services/app-services';
import { answering, buildRequest, type SlackRequest } from '../request';
import { manageAccess } from './access';
import { manageAnomalies } from './anomalies';
import { showAudit } from './audit';
import { showBillingInfo } from './billing';
import { manageBudget } from './budget';
import { showChart } from './chart';
import { showComparison } from './compare';
import { openConnectModal } from './connect';
import { manageDigest } from './digest';
import { disconnectOrg } from './disconnect';
import { exportCsv } from './export';
import { shareInvoice } from './invoice';
import { showInvoices } from './invoices';
import { listOrgs } from './orgs';
import { showOverview } from './overview';
import { type ParsedCommand, parseCommand } from './parse';
import { resetWorkspace } from './reset';
import { showUsage } from './usage';

/** The `/viam-usage` listener: ack at once, then parse, and hand the request to its subcommand. */
export function viamUsageCommand(services: AppServices) {
  return async ({ command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const parsed = parseCommand(command.text ?? '');
    const request = buildRequest(
      {
        teamId: command.team_id,
        enterpriseId: command.enterprise_id || undefined,
        userId: command.user_id,
        channelId: command.channel_id,
        triggerId: command.trigger_id,
        responseUrl: command.response_url,
        client,
        listener: 'command',
        command: parsed.kind,
      },
      services,
    );
    request.logger.info({ subcommand: parsed.kind }, 'command received');
    services.metrics.command(parsed.kind, await answering(request, () => dispatch(request, parsed)));
  };
}

function dispatch(request: SlackRequest, command: ParsedCommand): Promise<void> {
  switch (command.kind) {
    case 'overview':
      return showOverview(request, command);
    case 'usage':
      return showUsage(request, command);
    case 'invoices':
      return showInvoices(request, command);
    case 'invoice':
      return shareInvoice(request, command);
    case 'billing':
      return showBillingInfo(request, command);
    case 'connect':
      return openConnectModal(request);
    case 'disconnect':
      return disconnectOrg(request, command);
    case 'orgs':
      return listOrgs(request, command);
    case 'access':
      return manageAccess(request, command);
    case 'digest':
      return manageDigest(request, command);
    case 'budget':
      return manageBudget(request, command);
    case 'chart':
      return showChart(request, command);
    case 'anomalies':
      return manageAnomalies(request, command);
    case 'compare':
      return showComparison(request, command);
    case 'export':
      return exportCsv(request, command);
    case 'reset':
      return resetWorkspace(request);
    case 'audit':
      return showAudit(request);
    case 'help':
      return request.reply(renderHelp());
    case 'unknown':
      return request.reply(renderUnknownCommand(command.input, command.suggestion));
    case 'invalid':
      return request.reply(errorNotice(command.problem));
  }
}
