import { infoNotice } from '../../blocks/notices';
import { shareCsvExport } from '../../services/csv-export';
import { openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';
import type { ParsedCommand } from './parse';

type ExportCommand = Extract<ParsedCommand, { kind: 'export' }>;

/** `/viam-usage usage csv` and `invoices csv`: the numbers as a CSV file in the channel. */
export async function exportCsv(request: SlackRequest, command: ExportCommand): Promise<void> {
  const opened = await openOrgForViewing(request, command.org);
  if (!opened) return;
  if (!request.channelId) {
    await request.reply(infoNotice(`Run \`/viam-usage ${command.what} csv\` in the channel where the file should go.`));
    return;
  }
  const shared = await shareCsvExport({
    client: request.client,
    dispatcher: request.services.outbound.dispatcher,
    billing: request.billing,
    key: opened.key,
    orgId: opened.org.orgId,
    orgLabel: opened.org.label,
    what: command.what,
    channelId: request.channelId,
    userId: request.userId,
    now: request.services.now(),
    logger: request.logger,
  });
  request.logger.info({ fileId: shared.fileId, export: command.what }, 'CSV export shared');
}
