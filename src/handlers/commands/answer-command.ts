import type { webApi } from '@slack/bolt';
import { renderHelp, renderUnknownCommand } from '../../blocks/help';
import { errorNotice } from '../../blocks/notices';
import type { RequestOutcome } from '../../metrics/app-metrics';
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

/** What the answer to one `/viam-usage` needs of Slack's payload: plain data, so it can cross to an answer thread. */
export interface CommandFields {
  text: string;
  teamId: string;
  enterpriseId?: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl: string;
  /** Given by the thread that acked, so its log lines and the answer's share it. */
  requestId: string;
}

export function commandFields(
  command: {
    text?: string;
    team_id: string;
    enterprise_id?: string;
    user_id: string;
    channel_id: string;
    trigger_id: string;
    response_url: string;
  },
  requestId: string,
): CommandFields {
  return {
    text: command.text ?? '',
    teamId: command.team_id,
    ...(command.enterprise_id ? { enterpriseId: command.enterprise_id } : {}),
    userId: command.user_id,
    channelId: command.channel_id,
    triggerId: command.trigger_id,
    responseUrl: command.response_url,
    requestId,
  };
}

/** Parses an acked `/viam-usage` and answers it through its subcommand; on the acking thread or an answer thread. */
export async function answerCommand(
  services: AppServices,
  fields: CommandFields,
  client: webApi.WebClient,
): Promise<{ subcommand: string; outcome: RequestOutcome }> {
  const parsed = parseCommand(fields.text);
  const request = buildRequest(
    {
      teamId: fields.teamId,
      enterpriseId: fields.enterpriseId,
      userId: fields.userId,
      channelId: fields.channelId,
      triggerId: fields.triggerId,
      responseUrl: fields.responseUrl,
      requestId: fields.requestId,
      client,
      listener: 'command',
      command: parsed.kind,
    },
    services,
  );
  request.logger.info({ subcommand: parsed.kind }, 'command received');
  return { subcommand: parsed.kind, outcome: await answering(request, () => dispatch(request, parsed)) };
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
