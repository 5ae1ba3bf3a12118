import { readBudgetForm } from '../../blocks/home-budget-modal';
import { channelProblemText, formErrors } from '../../blocks/home-form';
import { BUDGET_FORM, decodeButtonValue } from '../../blocks/ids';
import { checkBudgetForm } from '../../home/budget-form';
import { refreshHome } from '../../home/publish';
import type { AppServices } from '../../services/app-services';
import { currentBudget, removeBudget, saveBudget } from '../../services/budget-settings';
import { channelProblem } from '../../services/digest-settings';
import { findOrg } from '../../store';
import { homeSubmission } from './home-submission';

/** The Home tab's budget form for one org: sets its amount and alert channel, or removes it. */
export function homeBudgetSubmission(services: AppServices) {
  return homeSubmission(services, {
    listener: 'view:home-budget',
    rights: 'manage',
    problemBlock: BUDGET_FORM.amount.block,
    async handle(request, form) {
      const label = decodeButtonValue(form.privateMetadata)?.org;
      const org = label === undefined ? undefined : findOrg(form.workspace, label);
      if (!org) {
        return {
          errors: formErrors(BUDGET_FORM, {
            amount: 'That org is no longer connected. Close this form and open the Home tab again.',
          }),
        };
      }
      const existing = await currentBudget(request, org.orgId);
      const removable = existing.budget !== undefined || existing.unreadable;
      const checked = checkBudgetForm(readBudgetForm(form.values), removable);
      if (!checked.ok) return { errors: formErrors(BUDGET_FORM, checked.problems) };
      if (checked.change.action === 'remove') {
        await removeBudget(request, org);
      } else {
        const { amount, channelId } = checked.change;
        const problem = await channelProblem(request.client, channelId);
        if (problem) return { errors: formErrors(BUDGET_FORM, { channel: channelProblemText(problem) }) };
        await saveBudget(request, org, { amount, channelId });
      }
      return { done: true, afterAck: () => refreshHome(request) };
    },
  });
}
