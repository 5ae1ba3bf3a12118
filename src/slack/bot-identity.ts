import { webApi } from '@slack/bolt';
import type { AppConfig } from '../config';
import { StartupError } from '../lifecycle/startup-error';
import type { WorkspaceRef } from '../store';
import type { SlackApi } from './slack-api';

export interface BotIdentity {
  teamId: string;
  enterpriseId?: string;
  botUserId: string;
  botId: string;
}

export function identityRef(identity: BotIdentity): WorkspaceRef {
  return identity.enterpriseId === undefined
    ? { teamId: identity.teamId }
    : { teamId: identity.teamId, enterpriseId: identity.enterpriseId };
}

/** auth.test once at start: it proves the token and names the workspace, and Bolt then need not ask again. */
export async function whoAmI(config: AppConfig, slackApi: SlackApi): Promise<BotIdentity> {
  const client = new webApi.WebClient(config.slack.botToken, {
    ...slackApi,
    retryConfig: { retries: 2 },
  });
  try {
    const auth = await client.auth.test();
    return {
      teamId: auth.team_id as string,
      enterpriseId: auth.enterprise_id || undefined,
      botUserId: auth.user_id as string,
      botId: auth.bot_id as string,
    };
  } catch (error) {
    const code = error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
    throw new StartupError(
      code
        ? `Slack refused SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token again from your app's OAuth & Permissions page.`
        : 'Slack could not be reached to check SLACK_BOT_TOKEN. Check the network (HTTPS_PROXY and NO_PROXY behind a proxy, SLACK_API_URL if you set it), then start again.',
    );
  }
}
