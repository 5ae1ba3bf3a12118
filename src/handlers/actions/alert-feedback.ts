import { recordQuietly } from '../../audit/trail';
import { choiceOfActionId, decodeFeedbackTarget, withFeedback } from '../../blocks/alert-feedback';
import type { KnownBlock } from '../../blocks/message';
import { errorNotice } from '../../blocks/notices';
import { AlertFeedback } from '../../feedback/choices';
import type { AppServices } from '../../services/app-services';
import { openOrgForViewing } from '../org-access';
import { answering } from '../request';
import { actionRequest, type ButtonArgs } from './button-request';

/**
 * Expected / Investigating / Unexpected on a budget or anomaly alert: stores the answer, writes the
 * audit entry and updates the alert in place to show who chose what and when. Anyone who may view
 * the org may answer.
 */
export function alertFeedbackAction(services: AppServices) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const { body, action, client } = args;
    const request = actionRequest(args, services, 'action:alert-feedback');
    const choice = choiceOfActionId(action.action_id);
    const target = decodeFeedbackTarget(action.value);
    const message = body.message as { ts?: string; text?: string; blocks?: KnownBlock[] } | undefined;
    if (!choice || !target || !message?.ts || !body.channel?.id) {
      request.logger.warn({ actionId: action.action_id }, 'alert feedback button is not one of ours');
      await request.reply(errorNotice('That button is out of date; answer on a newer alert.'));
      return;
    }
    const channel = body.channel.id;
    const outcome = await answering(request, async () => {
      const opened = await openOrgForViewing(request, target.org);
      if (!opened) return;
      const entries = await new AlertFeedback(services.store).record(request.ref, opened.org.orgId, target.period, {
        alert: target.alert,
        ...(target.line ? { line: target.line } : {}),
        choice,
        userId: request.userId,
        at: services.now().toISOString(),
      });
      await recordQuietly(
        services.audit,
        request.ref,
        {
          action: 'alert.feedback',
          actor: request.userId,
          org: opened.org.label,
          orgId: opened.org.orgId,
          channel,
          detail: `${choice} on ${target.alert}`,
        },
        request.logger,
      );
      await client.chat.update({
        channel,
        ts: message.ts as string,
        text: message.text ?? 'Viam billing alert',
        blocks: withFeedback(message.blocks ?? [], entries),
      });
    });
    services.metrics.action('action:alert-feedback', outcome);
  };
}
