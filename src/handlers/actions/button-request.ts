import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type ButtonValue, decodeButtonValue } from '../../blocks/ids';
import { errorNotice } from '../../blocks/notices';
import type { AppServices } from '../../services/app-services';
import { buildRequest, type SlackRequest } from '../request';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The request of a button press: who pressed it where, and how to answer. */
export function actionRequest(args: ButtonArgs, services: AppServices, listener: string): SlackRequest {
  const { body, client } = args;
  return buildRequest(
    {
      teamId: body.team?.id ?? body.user.team_id ?? '',
      enterpriseId: body.enterprise?.id ?? undefined,
      userId: body.user.id,
      channelId: body.channel?.id,
      triggerId: body.trigger_id,
      responseUrl: body.response_url,
      client,
      listener,
    },
    services,
  );
}

/**
 * What every button listener starts with: the request, and the button's value checked (anyone can
 * craft a payload, so a value that is not one of ours is refused rather than trusted).
 */
export async function buttonRequest(
  args: ButtonArgs,
  services: AppServices,
  listener: string,
): Promise<{ request: SlackRequest; value?: ButtonValue }> {
  const request = actionRequest(args, services, listener);
  const value = decodeButtonValue(args.action.value);
  if (!value) {
    request.logger.warn({ actionId: args.action.action_id }, 'button value is not one of ours');
    await request.reply(errorNotice('That button is out of date. Run the command again.'));
  }
  return { request, value };
}
