import {
  channelProblemText,
  formErrors,
  inputBlock,
  readChecked,
  readConversation,
  readConversations,
  readOption,
  readText,
  readTime,
  readUsers,
} from '../../src/blocks/home-form';
import { BUDGET_FORM, DIGEST_FORM } from '../../src/blocks/ids';

describe('inputBlock', () => {
  it('ties the element to the input’s block and action IDs', () => {
    expect(
      inputBlock({
        input: DIGEST_FORM.time,
        label: 'Time',
        element: { type: 'timepicker', initial_time: '09:00' },
        hint: 'Local time',
      }),
    ).toEqual({
      type: 'input',
      block_id: 'digest.time',
      label: { type: 'plain_text', text: 'Time' },
      element: { type: 'timepicker', initial_time: '09:00', action_id: 'time' },
      optional: false,
      hint: { type: 'plain_text', text: 'Local time' },
    });
  });
});

describe('reading a submission', () => {
  const values = {
    'digest.channel': { channel: { type: 'conversations_select', selected_conversation: 'C0BILLING0' } },
    'digest.stop': { stop: { type: 'multi_conversations_select', selected_conversations: ['C1', 7, ' ', 'C2'] } },
    'digest.weekday': { weekday: { type: 'static_select', selected_option: { value: 'fri' } } },
    'digest.time': { time: { type: 'timepicker', selected_time: '17:30' } },
    'digest.time_zone': { time_zone: { type: 'plain_text_input', value: '  Europe/Berlin ' } },
    'budget.remove': { remove: { type: 'checkboxes', selected_options: [{ value: 'remove' }, null] } },
    'access.viewers': { viewers: { type: 'multi_users_select', selected_users: ['U1', 'U2'] } },
  };

  it('takes each input’s value from its own shape', () => {
    expect(readConversation(values, DIGEST_FORM.channel)).toBe('C0BILLING0');
    expect(readConversations(values, DIGEST_FORM.stop)).toEqual(['C1', 'C2']);
    expect(readOption(values, DIGEST_FORM.weekday)).toBe('fri');
    expect(readTime(values, DIGEST_FORM.time)).toBe('17:30');
    expect(readText(values, DIGEST_FORM.timeZone)).toBe('Europe/Berlin');
    expect(readChecked(values, BUDGET_FORM.remove)).toEqual(['remove']);
    expect(readUsers(values, { block: 'access.viewers', action: 'viewers' })).toEqual(['U1', 'U2']);
  });

  it('reads missing or malformed inputs as empty', () => {
    const junk = { 'digest.channel': { channel: 'nope' }, 'digest.weekday': { weekday: { selected_option: 'x' } } };
    expect(readConversation(junk, DIGEST_FORM.channel)).toBeUndefined();
    expect(readOption(junk, DIGEST_FORM.weekday)).toBeUndefined();
    expect(readText({}, DIGEST_FORM.timeZone)).toBe('');
    expect(readConversations({}, DIGEST_FORM.stop)).toEqual([]);
    expect(readChecked({}, BUDGET_FORM.remove)).toEqual([]);
  });
});

describe('formErrors', () => {
  it('keys problems by block ID, as plain text without code marks, within Slack’s length', () => {
    const errors = formErrors(DIGEST_FORM, {
      channel: 'Invite me with `/invite @viam-billing`.',
      time: 'x'.repeat(3000),
    });
    expect(Object.keys(errors)).toEqual(['digest.channel', 'digest.time']);
    expect(errors['digest.channel']).toBe('Invite me with /invite @viam-billing.');
    expect(errors['digest.time']?.length).toBe(2000);
  });
});

describe('channelProblemText', () => {
  it('names the channel just picked, starting the sentence with a capital', () => {
    expect(channelProblemText('{channel} is archived; pick another channel.')).toBe(
      'That channel is archived; pick another channel.',
    );
    expect(channelProblemText('I am not in {channel}.')).toBe('I am not in that channel.');
  });
});
