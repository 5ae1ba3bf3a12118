import { readDigestForm } from '../../blocks/home-digest-modal';
import { channelProblemText, formErrors } from '../../blocks/home-form';
import { DIGEST_FORM } from '../../blocks/ids';
import { checkDigestForm } from '../../home/digest-form';
import { refreshHome } from '../../home/publish';
import type { AppServices } from '../../services/app-services';
import { channelProblem, saveDigestSchedule, stopDigest } from '../../services/digest-settings';
import { homeSubmission } from './home-submission';

/** The Home tab's digest form: sets one channel's digest and stops others, as `/viam-usage digest` does. */
export function homeDigestsSubmission(services: AppServices) {
  return homeSubmission(services, {
    listener: 'view:home-digests',
    rights: 'manage',
    problemBlock: DIGEST_FORM.channel.block,
    async handle(request, form) {
      const existing = await services.digests.schedules.listFor(request.ref);
      const checked = checkDigestForm(readDigestForm(form.values), form.workspace, existing);
      if (!checked.ok) return { errors: formErrors(DIGEST_FORM, checked.problems) };
      const { set, stop } = checked.change;
      if (set) {
        // Said now rather than on the first Monday: the app must be able to post there.
        const problem = await channelProblem(request.client, set.channelId);
        if (problem) return { errors: formErrors(DIGEST_FORM, { channel: channelProblemText(problem) }) };
        await saveDigestSchedule(request, set);
      }
      for (const channelId of stop) await stopDigest(request, channelId);
      return { done: true, afterAck: () => refreshHome(request) };
    },
  });
}
