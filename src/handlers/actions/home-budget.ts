import { budgetModal } from '../../blocks/home-budget-modal';
import { encodeButtonValue } from '../../blocks/ids';
import { unknownOrgNotice } from '../../blocks/notices';
import type { AppServices } from '../../services/app-services';
import { currentBudget } from '../../services/budget-settings';
import { findOrg } from '../../store';
import { authorizeManagement } from '../org-access';
import { homeButton, orgOfButton } from './home-request';

/** "Budget" on an org in the Home tab: the budget form for that org, prefilled with its budget. */
export function homeBudgetAction(services: AppServices) {
  return homeButton(services, 'action:home-budget', async (request, value) => {
    const label = await orgOfButton(request, value);
    if (label === undefined) return;
    const allowed = await authorizeManagement(request);
    if (!allowed) return;
    const org = findOrg(allowed.workspace, label);
    if (!org) {
      return request.reply(
        unknownOrgNotice(
          label,
          allowed.workspace.orgs.map((known) => known.label),
        ),
      );
    }
    const { budget, unreadable } = await currentBudget(request, org.orgId);
    await request.client.views.open({
      trigger_id: request.triggerId ?? '',
      view: budgetModal({
        orgLabel: org.label,
        ...(budget ? { budget: { amount: budget.amount, channelId: budget.channelId } } : {}),
        unreadable,
        privateMetadata: encodeButtonValue({ org: org.label }) ?? '',
      }),
    });
  });
}
