import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { recordQuietly } from '../../audit/trail';
import { connectErrors, connectedView, readConnectForm } from '../../blocks/connect-modal';
import { canManage } from '../../services/access';
import type { AppServices } from '../../services/app-services';
import { connectOrg } from '../../services/connect-org';
import { describeFailure } from '../../services/user-errors';
import { buildRequest } from '../request';

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const NOT_ALLOWED =
  'Only workspace admins and whoever connected an org can connect Viam orgs here. Ask a workspace admin.';

/**
 * Submission of the connect modal. The key is checked live against Viam before anything is stored,
 * within Slack's 3 s, so every refusal shows inline on the field to fix and the modal stays open.
 */
export function connectOrgSubmission(services: AppServices) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    const request = buildRequest(
      {
        teamId: body.team?.id ?? body.user.team_id ?? '',
        enterpriseId: body.enterprise?.id ?? undefined,
        userId: body.user.id,
        client,
        listener: 'view:connect-org',
      },
      services,
    );
    try {
      // The modal only opens for people who may connect, but the submission is its own request: a
      // crafted payload or rights lost since the modal opened must not store a key.
      const [workspace, facts] = await Promise.all([
        services.store.workspaces.get(request.ref),
        services.slackUsers.lookup(client, request.ref.teamId, request.userId),
      ]);
      if (!canManage(workspace, request.userId, facts.isAdmin).allowed) {
        request.logger.warn({}, 'connect submitted by someone who may not manage this workspace');
        services.metrics.action('view:connect-org', 'refused');
        await ack({ response_action: 'errors', errors: connectErrors({ orgId: NOT_ALLOWED }) });
        return;
      }
      const outcome = await connectOrg(
        { ref: request.ref, userId: request.userId, form: readConnectForm(view.state.values) },
        { store: services.store, billing: request.billing, logger: request.logger, now: services.now },
      );
      if (!outcome.ok) {
        await ack({ response_action: 'errors', errors: connectErrors(outcome.problems) });
        services.metrics.action('view:connect-org', 'ok');
        return;
      }
      request.logger.info({ label: outcome.label, orgId: outcome.orgId, replaced: outcome.replaced }, 'org connected');
      await ack({ response_action: 'update', view: connectedView(outcome) });
      services.metrics.action('view:connect-org', 'ok');
      await recordQuietly(
        services.audit,
        request.ref,
        { action: 'org.connected', actor: request.userId, org: outcome.label, orgId: outcome.orgId },
        request.logger,
      );
    } catch (error) {
      const failure = describeFailure(error);
      request.logger.error({ err: error }, 'connect failed');
      services.metrics.action('view:connect-org', 'error');
      await ack({
        response_action: 'errors',
        errors: connectErrors({ apiKey: `${failure.message} (request ${request.requestId})` }),
      });
    }
  };
}
