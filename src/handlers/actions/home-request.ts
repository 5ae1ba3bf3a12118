import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { noticeModal } from '../../blocks/home-notice-modal';
import { type ButtonValue, decodeButtonValue } from '../../blocks/ids';
import { errorNotice } from '../../blocks/notices';
import type { AppServices } from '../../services/app-services';
import { answering, buildRequest, type SlackRequest } from '../request';

export type HomeButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * A press in the Home tab. It has no response URL and no channel, so every answer to it (a refusal,
 * a failure) opens as a small modal on the press's trigger; a press that opens a form uses that
 * trigger for the form instead.
 */
export function homeButtonRequest(args: HomeButtonArgs, services: AppServices, listener: string): SlackRequest {
  const { body, client } = args;
  const request = buildRequest(
    {
      teamId: body.team?.id ?? body.user.team_id ?? '',
      enterpriseId: body.enterprise?.id ?? undefined,
      userId: body.user.id,
      triggerId: body.trigger_id,
      client,
      listener,
    },
    services,
  );
  request.reply = async (message) => {
    await client.views.open({ trigger_id: body.trigger_id, view: noticeModal(message) });
  };
  return request;
}

type HomeButtonWork = (request: SlackRequest, value: ButtonValue | undefined) => Promise<void>;

/**
 * A Home button listener: ack at once, then the work, with any failure shown to the user in one
 * sentence and counted in the metrics. The value is untrusted (anyone can craft a payload): buttons
 * for one org get it decoded, or undefined when it is not one of ours.
 */
export function homeButton(services: AppServices, listener: string, work: HomeButtonWork) {
  return async (args: HomeButtonArgs): Promise<void> => {
    await args.ack();
    const request = homeButtonRequest(args, services, listener);
    const value = decodeButtonValue(args.action.value);
    services.metrics.action(listener, await answering(request, () => work(request, value)));
  };
}

/** For buttons that name an org: the decoded value, or a reply saying the button is stale. */
export async function orgOfButton(request: SlackRequest, value: ButtonValue | undefined): Promise<string | undefined> {
  if (value) return value.org;
  request.logger.warn({}, 'Home button value is not one of ours');
  await request.reply(errorNotice('That button is out of date. Open the Home tab again.'));
  return undefined;
}
