import { AnomalySettingsStore } from '../../anomalies/settings';
import { recordQuietly } from '../../audit/trail';
import { describeAnomalySettings, renderAnomalySettings } from '../../blocks/anomaly-settings';
import { authorizeManagement, openOrgForViewing } from '../org-access';
import type { SlackRequest } from '../request';
import type { ParsedCommand } from './parse';

type AnomaliesCommand = Extract<ParsedCommand, { kind: 'anomalies' }>;

/** `/viam-usage anomalies [on|off] [--min n] [--pct n]`: anyone who can view sees the settings; managers change them. */
export async function manageAnomalies(request: SlackRequest, command: AnomaliesCommand): Promise<void> {
  const changes = {
    ...(command.enabled === undefined ? {} : { enabled: command.enabled }),
    ...(command.minDailyUsd === undefined ? {} : { minDailyUsd: command.minDailyUsd }),
    ...(command.minIncreasePct === undefined ? {} : { minIncreasePct: command.minIncreasePct }),
  };
  const changing = Object.keys(changes).length > 0;
  if (changing && !(await authorizeManagement(request))) return;
  const opened = await openOrgForViewing(request, command.org);
  if (!opened) return;
  const { services } = request;
  const settingsStore = new AnomalySettingsStore(services.store, request.logger);
  const settings = changing
    ? await settingsStore.change(request.ref, opened.org.orgId, changes)
    : await settingsStore.get(request.ref, opened.org.orgId);
  if (changing) {
    await recordQuietly(
      services.audit,
      request.ref,
      {
        action: 'anomalies.changed',
        actor: request.userId,
        org: opened.org.label,
        orgId: opened.org.orgId,
        detail: describeAnomalySettings(settings),
      },
      request.logger,
    );
  }
  const budget = await services.budgets.get(request.ref, opened.org.orgId).catch(() => undefined);
  await request.reply(renderAnomalySettings(settings, opened.org.label, budget?.channelId, changing));
}
