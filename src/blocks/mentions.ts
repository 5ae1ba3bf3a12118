/** Slack user mentions built only from IDs that look like Slack's, so stored text can never inject markup. */

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** `<@U123>`, or undefined when the ID is not a Slack user ID. */
export function userMention(userId: string | undefined): string | undefined {
  return userId !== undefined && USER_ID.test(userId) ? `<@${userId}>` : undefined;
}
