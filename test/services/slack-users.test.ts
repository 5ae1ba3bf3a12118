/** users.info through a real WebClient against the stand-in, with the cache on an injected clock. */
import { webApi } from '@slack/bolt';
import { SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { SlackUsers } from '../../src/services/slack-users';

let slack: SlackStandIn;
let client: webApi.WebClient;

beforeAll(async () => {
  slack = await startSlackStandIn();
  client = new webApi.WebClient(SEED.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await slack.stop();
});

beforeEach(() => slack.resetRecords());

describe('SlackUsers', () => {
  it('reads rights and time zone: owners and admins are admins, members are not', async () => {
    const users = new SlackUsers(() => new Date('2026-11-26T12:00:00Z'));
    await expect(users.lookup(client, SEED.team.id, SEED.users.ada)).resolves.toEqual({
      id: SEED.users.ada,
      isAdmin: true,
      timeZone: 'America/New_York',
    });
    await expect(users.lookup(client, SEED.team.id, SEED.users.grace)).resolves.toMatchObject({ isAdmin: true });
    await expect(users.lookup(client, SEED.team.id, SEED.users.mei)).resolves.toEqual({
      id: SEED.users.mei,
      isAdmin: false,
      timeZone: 'Asia/Tokyo',
    });
  });

  it('asks Slack once a minute per user at most', async () => {
    let now = new Date('2026-11-26T12:00:00Z').getTime();
    const users = new SlackUsers(() => new Date(now));
    await users.lookup(client, SEED.team.id, SEED.users.linus);
    now += 59_000;
    await users.lookup(client, SEED.team.id, SEED.users.linus);
    expect(slack.calls('users.info')).toHaveLength(1);
    now += 2_000;
    await users.lookup(client, SEED.team.id, SEED.users.linus);
    expect(slack.calls('users.info')).toHaveLength(2);
  });

  it('a failed lookup is not cached', async () => {
    const users = new SlackUsers(() => new Date('2026-11-26T12:00:00Z'));
    slack.failNext('users.info', 'user_not_found');
    await expect(users.lookup(client, SEED.team.id, SEED.users.grace)).rejects.toThrow(/user_not_found/);
    await expect(users.lookup(client, SEED.team.id, SEED.users.grace)).resolves.toMatchObject({ isAdmin: true });
  });
});
