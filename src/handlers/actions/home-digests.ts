import { digestModal } from '../../blocks/home-digest-modal';
import { notConnectedNotice } from '../../blocks/notices';
import { nextOccurrence } from '../../digest/occurrences';
import type { AppServices } from '../../services/app-services';
import { findOrg } from '../../store';
import { authorizeManagement } from '../org-access';
import { homeButton, orgOfButton } from './home-request';

/** "Edit digests" on an org in the Home tab: the digest form, with that org picked. */
export function homeDigestsAction(services: AppServices) {
  return homeButton(services, 'action:home-digests', async (request, value) => {
    const label = await orgOfButton(request, value);
    if (label === undefined) return;
    const allowed = await authorizeManagement(request);
    if (!allowed) return;
    const { workspace, facts } = allowed;
    if (workspace.orgs.length === 0) return request.reply(notConnectedNotice());
    const now = services.now();
    const schedules = await services.digests.schedules.listFor(request.ref);
    await request.client.views.open({
      trigger_id: request.triggerId ?? '',
      view: digestModal({
        orgLabels: workspace.orgs.map((org) => org.label),
        orgLabel: findOrg(workspace, label)?.label ?? workspace.orgs[0]?.label ?? label,
        timeZone: facts.timeZone ?? workspace.preferences.timeZone ?? 'UTC',
        schedules: schedules.map((schedule) => ({ ...schedule, nextRun: nextOccurrence(schedule, now).at })),
      }),
    });
  });
}
