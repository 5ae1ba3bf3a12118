import { infoNotice } from '../../blocks/notices';
import { shareSpendChart } from '../../services/spend-chart';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';
import type { ParsedCommand } from './parse';

type ChartCommand = Extract<ParsedCommand, { kind: 'chart' }>;

/** `/viam-usage chart [--org x]`: the spend chart, shared into the channel as a PNG. */
export async function showChart(request: SlackRequest, command: ChartCommand): Promise<void> {
  const opened = await openOrgForViewing(request, command.org);
  if (!opened) return;
  if (!request.channelId) {
    await request.reply(infoNotice('Run `/viam-usage chart` in the channel where the chart should go.'));
    return;
  }
  const shared = await shareSpendChart({
    client: request.client,
    dispatcher: request.services.outbound.dispatcher,
    billing: request.billing,
    store: request.services.store,
    budgetFor: (ref, orgId) => request.services.budgets.amountFor(ref, orgId),
    ref: request.ref,
    key: opened.key,
    orgId: opened.org.orgId,
    orgLabel: opened.org.label,
    channelId: request.channelId,
    userId: request.userId,
    timeZone: opened.render.timeZone,
    now: opened.render.now,
    logger: request.logger,
  });
  request.logger.info({ fileId: shared.fileId }, 'spend chart shared');
}
