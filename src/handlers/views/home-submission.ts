import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SubmittedValues } from '../../blocks/home-form';
import { errorNotice } from '../../blocks/notices';
import type { RequestOutcome } from '../../metrics/app-metrics';
import { canManage, canView } from '../../services/access';
import type { AppServices } from '../../services/app-services';
import type { SlackUserFacts } from '../../services/slack-users';
import { describeFailure } from '../../services/user-errors';
import { isStoreError, type Workspace } from '../../store';
import { callerFacts } from '../org-access';
import { buildRequest, type SlackRequest } from '../request';

export type HomeViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** What a form's handler decided: inline errors (the modal stays open), or done (it closes). */
export type SubmissionResult =
  | { errors: Record<string, string> }
  /** `afterAck` runs once Slack has its answer: slow work such as sharing a file, or redrawing the Home tab. */
  | { done: true; afterAck?: () => Promise<void> };

export interface SubmittedForm {
  workspace: Workspace;
  facts: SlackUserFacts;
  values: SubmittedValues;
  privateMetadata: string;
}

export interface SubmissionSpec {
  listener: string;
  /** Settings forms need management rights; sharing a PDF needs view rights. */
  rights: 'manage' | 'view';
  /** The input whose error line shows a refusal or an unexpected failure. */
  problemBlock: string;
  handle(request: SlackRequest, form: SubmittedForm): Promise<SubmissionResult>;
}

const NOT_ALLOWED_TO_MANAGE =
  'Only workspace admins and whoever connected an org can change Viam billing settings here. Ask a workspace admin.';
const NOT_ALLOWED_TO_VIEW =
  'You don’t have access to Viam billing in this workspace. Ask a workspace admin to run /viam-usage access add @you.';

/**
 * A Home form's submission. Rights are checked again here: the form only opens for people who may
 * use it, but a submission is its own request (a crafted payload, or rights lost since it opened).
 * Everything that can be refused is answered inline on the field to fix, within Slack's 3 s;
 * anything failing after the answer is sent to the user as a direct message from the app.
 */
export function homeSubmission(services: AppServices, spec: SubmissionSpec) {
  return async ({ ack, body, view, client }: HomeViewArgs): Promise<void> => {
    const request = buildRequest(
      {
        teamId: body.team?.id ?? body.user.team_id ?? '',
        enterpriseId: body.enterprise?.id ?? undefined,
        userId: body.user.id,
        triggerId: body.trigger_id,
        client,
        listener: spec.listener,
      },
      services,
    );
    request.reply = async (message) => {
      // Posting to a user ID lands in their direct messages with the app.
      await client.chat.postMessage({ channel: request.userId, text: message.text, blocks: message.blocks });
    };
    let acked = false;
    const answer = async (response?: Parameters<HomeViewArgs['ack']>[0]) => {
      acked = true;
      await ack(response);
    };

    const outcome = await (async (): Promise<RequestOutcome> => {
      try {
        const [workspace, facts] = await Promise.all([
          services.store.workspaces.get(request.ref),
          callerFacts(request),
        ]);
        const access =
          spec.rights === 'manage'
            ? canManage(workspace, request.userId, facts.isAdmin)
            : canView(workspace, request.userId, facts.isAdmin);
        if (!access.allowed) {
          request.logger.warn({}, 'form submitted by someone without the rights for it');
          const refusal = spec.rights === 'manage' ? NOT_ALLOWED_TO_MANAGE : NOT_ALLOWED_TO_VIEW;
          await answer({ response_action: 'errors', errors: { [spec.problemBlock]: refusal } });
          return 'refused';
        }
        const result = await spec.handle(request, {
          workspace,
          facts,
          values: view.state.values as SubmittedValues,
          privateMetadata: view.private_metadata ?? '',
        });
        if ('errors' in result) {
          await answer({ response_action: 'errors', errors: result.errors });
          return 'ok';
        }
        await answer();
        await result.afterAck?.();
        return 'ok';
      } catch (error) {
        if (isStoreError(error)) services.metrics.storeError(error.kind);
        const failure = describeFailure(error);
        const log = failure.expected
          ? request.logger.warn.bind(request.logger)
          : request.logger.error.bind(request.logger);
        log({ err: error }, 'form submission failed');
        try {
          if (!acked) {
            const message = `${failure.message} (request ${request.requestId})`;
            await answer({ response_action: 'errors', errors: { [spec.problemBlock]: message } });
          } else {
            await request.reply(errorNotice(failure.message, request.requestId));
          }
        } catch (replyError) {
          request.logger.warn({ err: replyError }, 'could not tell the user the form failed');
        }
        return 'error';
      }
    })();
    services.metrics.action(spec.listener, outcome);
  };
}
