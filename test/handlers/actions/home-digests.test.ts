/** "Edit digests" on an org in the Home tab: the digest form with that org picked and the user's zone. */
import { ACTION_HOME_DIGESTS, DIGEST_FORM, encodeButtonValue, VIEW_HOME_DIGESTS } from '../../../src/blocks/ids';
import { connectFarms, inputsOf, openedModal, pressHome, resetHomeState, TEAM } from '../../home/home-stack';
import { CHANNELS, FIXED_NOW, messageText, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

describe('Home: Edit digests', () => {
  it('opens the digest form for the pressed org, listing the digests already set', async () => {
    const stack = stackOf();
    await connectFarms(stack);
    await stack.app.services.digests.schedules.set(TEAM, {
      channelId: CHANNELS.billing,
      orgLabel: 'default',
      weekday: 'fri',
      time: '16:00',
      timeZone: 'UTC',
      createdBy: USERS.ada,
      createdAt: FIXED_NOW.toISOString(),
    });
    const press = await pressHome(stack, USERS.ada, ACTION_HOME_DIGESTS, encodeButtonValue({ org: 'farms' }) ?? '');
    const modal = await openedModal(stack, press);
    expect(modal.callback_id).toBe(VIEW_HOME_DIGESTS);
    const inputs = inputsOf(modal);
    expect(inputs[DIGEST_FORM.org.block]).toMatchObject({
      type: 'static_select',
      initial_option: { value: 'farms' },
      options: [{ value: 'default' }, { value: 'farms' }],
    });
    expect(inputs[DIGEST_FORM.weekday.block]).toMatchObject({ initial_option: { value: 'mon' } });
    expect(inputs[DIGEST_FORM.time.block]).toMatchObject({ type: 'timepicker', initial_time: '09:00' });
    // Ada's own zone, from Slack.
    expect(inputs[DIGEST_FORM.timeZone.block]).toMatchObject({ initial_value: 'America/New_York' });
    expect(inputs[DIGEST_FORM.channel.block]).toMatchObject({ type: 'conversations_select' });
    expect(inputs[DIGEST_FORM.stop.block]).toMatchObject({ type: 'multi_conversations_select' });
    expect(messageText(modal.blocks)).toContain(
      `• <#${CHANNELS.billing}> every Friday at 16:00 for \`default\`, next Nov 27, 2026 16:00 (UTC)`,
    );
  });

  it('refuses a member pressing a crafted button', async () => {
    const stack = stackOf();
    const press = await pressHome(stack, USERS.mei, ACTION_HOME_DIGESTS, encodeButtonValue({ org: 'default' }) ?? '');
    const modal = await openedModal(stack, press);
    expect(modal.callback_id).toBeUndefined();
    expect(messageText(modal.blocks)).toContain('Only workspace admins and whoever connected an org can change');
  });
});
