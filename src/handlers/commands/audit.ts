import { renderAudit } from '../../blocks/audit';
import { authorizeManagement } from '../org-access';
import type { SlackRequest } from '../request';

/** How many entries `/viam-usage audit` shows; the trail keeps more. */
export const AUDIT_SHOWN = 20;

/** `/viam-usage audit`: the latest changes, for the people who may make them (admins and connectors). */
export async function showAudit(request: SlackRequest): Promise<void> {
  const allowed = await authorizeManagement(request);
  if (!allowed) return;
  const entries = await request.services.audit.latest(request.ref, AUDIT_SHOWN);
  const timeZone = allowed.facts.timeZone ?? allowed.workspace.preferences.timeZone ?? 'UTC';
  await request.reply(renderAudit(entries, { timeZone }));
}
