/**
 * The command text as Slack sends it for a command with `should_escape: true` (see manifest.yml): a
 * typed `#billing` arrives as `<#C0BILLING0|billing>` and `@linus` as `<@U0LINUSENG|linus>`. Names
 * Slack would not recognise stay as typed, as they do in Slack.
 */

export interface SlackDirectory {
  channels: ReadonlyArray<{ id: string; name: string }>;
  users: ReadonlyArray<{ id: string; name: string }>;
}

const BROADCASTS = new Set(['here', 'channel', 'everyone']);

export function escapeCommandText(typed: string, directory: SlackDirectory): string {
  return typed.replace(/(^|\s)([#@])([\w.-]+)/g, (whole, space: string, sigil: string, name: string) => {
    const wanted = name.toLowerCase();
    if (sigil === '#') {
      const channel = directory.channels.find((each) => each.name.toLowerCase() === wanted);
      return channel ? `${space}<#${channel.id}|${channel.name}>` : whole;
    }
    if (BROADCASTS.has(wanted)) return `${space}<!${wanted}>`;
    const user = directory.users.find((each) => each.name.toLowerCase() === wanted);
    return user ? `${space}<@${user.id}|${user.name}>` : whole;
  });
}
