import type { SlackStandIn } from '../slack-stand-in';
import type { NameLookup } from './mrkdwn';

/** Names as Slack would show them to Acme's people: a person's full name, a channel's name. */
export function standInNames(slack: SlackStandIn): NameLookup {
  return {
    user: (id) => {
      const user = slack.workspace.user(id);
      return user ? user.realName || user.name : undefined;
    },
    channel: (id) => slack.workspace.channel(id)?.name,
  };
}
