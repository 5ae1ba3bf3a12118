import { webApi } from '@slack/bolt';
import { SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { channelProblem, isChannelId, saveDigestSchedule, stopDigest } from '../../src/services/digest-settings';
import { NOW, REF, type SettingsFixture, settingsFixture } from './settings-support';

describe('saveDigestSchedule and stopDigest', () => {
  let fixture: SettingsFixture;
  beforeEach(async () => {
    fixture = await settingsFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('saves a schedule by whom and when, and audits it', async () => {
    const saved = await saveDigestSchedule(fixture.actor, {
      channelId: 'C0BILLING0',
      orgLabel: 'acme',
      weekday: 'wed',
      time: '08:00',
      timeZone: 'europe/berlin',
    });
    expect(saved).toEqual({
      channelId: 'C0BILLING0',
      orgLabel: 'acme',
      weekday: 'wed',
      time: '08:00',
      timeZone: 'Europe/Berlin',
      createdBy: 'U0GRACE',
      createdAt: NOW.toISOString(),
    });
    expect(await fixture.actor.services.audit.latest(REF, 1)).toEqual([
      expect.objectContaining({
        action: 'digest.set',
        channel: 'C0BILLING0',
        org: 'acme',
        schedule: 'wed 08:00 Europe/Berlin',
      }),
    ]);
  });

  it('stops a digest and audits it; stopping none audits nothing', async () => {
    await saveDigestSchedule(fixture.actor, {
      channelId: 'C0BILLING0',
      orgLabel: 'acme',
      weekday: 'wed',
      time: '08:00',
      timeZone: 'UTC',
    });
    expect(await stopDigest(fixture.actor, 'C0BILLING0')).toBe(true);
    expect(await stopDigest(fixture.actor, 'C0BILLING0')).toBe(false);
    expect((await fixture.actor.services.audit.latest(REF, 5)).map((entry) => entry.action)).toEqual([
      'digest.stopped',
      'digest.set',
    ]);
  });
});

describe('channelProblem', () => {
  let slack: SlackStandIn;
  let client: webApi.WebClient;
  beforeAll(async () => {
    slack = await startSlackStandIn();
    client = new webApi.WebClient(SEED.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  });
  afterAll(async () => {
    await slack.stop();
  });

  it('has nothing to say about a channel the app is in, and joins a public one it is not in', async () => {
    expect(await channelProblem(client, SEED.channels.billing)).toBeUndefined();
    expect(await channelProblem(client, SEED.channels.random)).toBeUndefined();
    expect(slack.workspace.channel(SEED.channels.random)?.members).toContain(SEED.botUserId);
  });

  it('says why the app cannot post in a channel', async () => {
    expect(await channelProblem(client, SEED.channels.oldProjects)).toBe(
      '{channel} is archived; pick another channel.',
    );
    expect(await channelProblem(client, SEED.channels.leadership)).toBe(
      'I cannot see {channel}. If it is private, invite me with `/invite @viam-billing` first.',
    );
  });

  it('passes other Slack failures on', async () => {
    slack.failNext('conversations.info', 'internal_error');
    await expect(channelProblem(client, SEED.channels.billing)).rejects.toThrow(/internal_error/);
  });

  it('knows channel IDs from direct messages', () => {
    expect([isChannelId('C0BILLING0'), isChannelId('G0FINANCE0'), isChannelId('D0ADA')]).toEqual([true, true, false]);
  });
});
