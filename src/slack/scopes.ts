/**
 * The bot scopes an OAuth install asks for. They must be manifest.yml's `oauth_config.scopes.bot`
 * (a test holds them equal): an install URL asking for less would leave commands failing with
 * `missing_scope`, and asking for more would be refused by Slack.
 */
export const BOT_SCOPES: readonly string[] = [
  'commands',
  'chat:write',
  'files:write',
  'channels:join',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'users:read',
];
