import { readAccessForm } from '../../blocks/home-access-modal';
import { formErrors } from '../../blocks/home-form';
import { ACCESS_FORM } from '../../blocks/ids';
import { checkAccessForm } from '../../home/access-form';
import { refreshHome } from '../../home/publish';
import { grantViewAccess, revokeViewAccess } from '../../services/access-settings';
import type { AppServices } from '../../services/app-services';
import { homeSubmission } from './home-submission';

/**
 * The Home tab's access form: the people submitted become the granted viewers, each grant and
 * revocation made (and audited) as `/viam-usage access add|remove` does. The difference is taken
 * against the store as it is now, not as the form was opened.
 */
export function homeAccessSubmission(services: AppServices) {
  return homeSubmission(services, {
    listener: 'view:home-access',
    rights: 'manage',
    problemBlock: ACCESS_FORM.viewers.block,
    async handle(request, form) {
      const checked = checkAccessForm(form.workspace.viewers, readAccessForm(form.values).viewerIds);
      if (!checked.ok) return { errors: formErrors(ACCESS_FORM, { viewers: checked.problem }) };
      for (const viewerId of checked.grant) await grantViewAccess(request, viewerId);
      for (const viewerId of checked.revoke) await revokeViewAccess(request, viewerId);
      return { done: true, afterAck: () => refreshHome(request) };
    },
  });
}
