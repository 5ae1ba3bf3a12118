/** The Home tab's digest form submitted as Slack sends it: saved, audited and shown, or refused inline. */
import { DIGEST_FORM, VIEW_HOME_DIGESTS } from '../../../src/blocks/ids';
import { connectFarms, digestValues, republishedHome, resetHomeState, submitForm, TEAM } from '../../home/home-stack';
import { CHANNELS, FIXED_NOW, messageText, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

const GOOD = { org: 'farms', weekday: 'tue', time: '17:30', timeZone: 'europe/berlin' };

function submit(values: Parameters<typeof digestValues>[0], user: string = USERS.ada) {
  return submitForm(stackOf(), VIEW_HOME_DIGESTS, digestValues(values), { user });
}

async function schedules() {
  return stackOf().app.services.digests.schedules.listFor(TEAM);
}

describe('Home digest form', () => {
  it('sets the digest, writes the audit entry and redraws the Home tab with it', async () => {
    const stack = stackOf();
    await connectFarms(stack);
    const ack = await submit({ ...GOOD, channel: CHANNELS.billing });
    expect(ack.status).toBe(200);
    expect(ack.json).toEqual({});
    expect(await schedules()).toEqual([
      expect.objectContaining({
        channelId: CHANNELS.billing,
        orgLabel: 'farms',
        weekday: 'tue',
        time: '17:30',
        timeZone: 'Europe/Berlin',
        createdBy: USERS.ada,
      }),
    ]);
    const [entry] = await stack.app.services.audit.latest(TEAM, 1);
    expect(entry).toMatchObject({
      action: 'digest.set',
      actor: USERS.ada,
      channel: CHANNELS.billing,
      org: 'farms',
      schedule: 'tue 17:30 Europe/Berlin',
    });
    const home = await republishedHome(stack, ack.after, USERS.ada);
    expect(messageText(home.blocks)).toContain(
      `• <#${CHANNELS.billing}> every Tuesday at 17:30, next Dec 1, 2026 17:30 (Europe/Berlin)`,
    );
  });

  it('turns digests off, with an audit entry for each', async () => {
    const stack = stackOf();
    for (const channelId of [CHANNELS.billing, CHANNELS.general]) {
      await stack.app.services.digests.schedules.set(TEAM, {
        channelId,
        orgLabel: 'default',
        weekday: 'mon',
        time: '09:00',
        timeZone: 'UTC',
        createdBy: USERS.ada,
        createdAt: FIXED_NOW.toISOString(),
      });
    }
    const ack = await submit({ ...GOOD, org: 'default', stop: [CHANNELS.billing, CHANNELS.general] }, USERS.grace);
    expect(ack.json).toEqual({});
    expect(await schedules()).toEqual([]);
    const entries = await stack.app.services.audit.latest(TEAM, 2);
    expect(entries.map((entry) => [entry.action, entry.channel, entry.actor])).toEqual([
      ['digest.stopped', CHANNELS.general, USERS.grace],
      ['digest.stopped', CHANNELS.billing, USERS.grace],
    ]);
    await republishedHome(stack, ack.after, USERS.grace);
  });

  it('joins a public channel the app is not in before saving', async () => {
    const stack = stackOf();
    const ack = await submit({ ...GOOD, org: 'default', channel: CHANNELS.random });
    expect(ack.json).toEqual({});
    expect(stack.slack.workspace.channel(CHANNELS.random)?.members).toContain('U0VIAMBILL');
    expect(await schedules()).toEqual([expect.objectContaining({ channelId: CHANNELS.random })]);
    await republishedHome(stack, ack.after, USERS.ada);
  });

  it.each([
    [
      'nothing picked',
      { ...GOOD },
      DIGEST_FORM.channel.block,
      'Pick a channel for the digest, or at least one channel whose digest should stop.',
    ],
    [
      'a zone that does not exist',
      { ...GOOD, org: 'default', channel: CHANNELS.billing, timeZone: 'Mars/Olympus' },
      DIGEST_FORM.timeZone.block,
      '"Mars/Olympus" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.',
    ],
    [
      'a private channel the app is not in',
      { ...GOOD, org: 'default', channel: CHANNELS.leadership },
      DIGEST_FORM.channel.block,
      'I cannot see that channel. If it is private, invite me with /invite @viam-billing first.',
    ],
    [
      'an archived channel',
      { ...GOOD, org: 'default', channel: CHANNELS.oldProjects },
      DIGEST_FORM.channel.block,
      'That channel is archived; pick another channel.',
    ],
    [
      'a channel without a digest to stop',
      { ...GOOD, stop: [CHANNELS.finance] },
      DIGEST_FORM.stop.block,
      'That channel has no weekly digest to turn off.',
    ],
    [
      'an org no longer connected',
      { ...GOOD, org: 'farms', channel: CHANNELS.billing },
      DIGEST_FORM.org.block,
      'That org is no longer connected. Pick one of the connected orgs.',
    ],
  ])('answers %s with an error on the field to fix, and saves nothing', async (_case, values, block, sentence) => {
    const stack = stackOf();
    const ack = await submit(values);
    expect(ack.json).toEqual({ response_action: 'errors', errors: { [block]: sentence } });
    expect(await schedules()).toEqual([]);
    expect(stack.slack.calls('views.publish').filter((call) => call.seq > ack.after)).toEqual([]);
  });

  it('refuses a member with a crafted submission, and saves nothing', async () => {
    const stack = stackOf();
    const ack = await submit({ ...GOOD, org: 'default', channel: CHANNELS.billing }, USERS.linus);
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: {
        [DIGEST_FORM.channel.block]:
          'Only workspace admins and whoever connected an org can change Viam billing settings here. Ask a workspace admin.',
      },
    });
    expect(await schedules()).toEqual([]);
    expect(stack.slack.calls('views.publish').filter((call) => call.seq > ack.after)).toEqual([]);
  });
});
