import { escapeCommandText } from '../../../dev/demo/slack-escape';

const directory = {
  channels: [{ id: 'C0BILLING0', name: 'billing' }],
  users: [{ id: 'U0LINUSENG', name: 'linus' }],
};

describe('escapeCommandText', () => {
  it('escapes known channels and people as Slack does with should_escape', () => {
    expect(escapeCommandText('digest #billing mon 09:00', directory)).toBe('digest <#C0BILLING0|billing> mon 09:00');
    expect(escapeCommandText('access add @Linus', directory)).toBe('access add <@U0LINUSENG|linus>');
    expect(escapeCommandText('@here', directory)).toBe('<!here>');
  });

  it('leaves unknown names, and # or @ inside words, as typed', () => {
    expect(escapeCommandText('digest #nowhere @nobody a#billing x@linus', directory)).toBe(
      'digest #nowhere @nobody a#billing x@linus',
    );
  });
});
