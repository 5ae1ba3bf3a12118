/** Drawing a user's Home tab, and redrawing it after a change without ever failing that change. */
import { webApi } from '@slack/bolt';
import { publishHome, refreshHome } from '../../src/home/publish';
import { LogCapture, messageText, SEED, USERS, useLocalStack } from '../support/stack';
import { resetHomeState, TEAM } from './home-stack';

const log = new LogCapture();
const stackOf = useLocalStack({ logDestination: log.destination }, { reset: resetHomeState });

function reader(userId: string) {
  const stack = stackOf();
  return {
    ref: TEAM,
    userId,
    client: new webApi.WebClient(SEED.botToken, {
      slackApiUrl: stack.config.slack.apiUrl,
      retryConfig: { retries: 0 },
    }),
    logger: stack.logger,
    services: stack.app.services,
  };
}

describe('publishHome', () => {
  it('publishes the user’s Home tab', async () => {
    const stack = stackOf();
    await publishHome(reader(USERS.ada));
    const home = stack.slack.homeView(USERS.ada);
    expect(home?.view.type).toBe('home');
    expect(messageText(home?.view.blocks)).toContain('$290.23');
  });

  it('throws when Slack refuses it', async () => {
    stackOf().slack.failNext('views.publish', 'internal_error');
    await expect(publishHome(reader(USERS.ada))).rejects.toThrow(/internal_error/);
  });
});

describe('refreshHome', () => {
  it('logs a failure instead of throwing it', async () => {
    stackOf().slack.failNext('views.publish', 'internal_error');
    await expect(refreshHome(reader(USERS.grace))).resolves.toBeUndefined();
    expect(log.find('could not refresh the Home tab after a change')).toHaveLength(1);
  });
});
