import {
  errorNotice,
  noAccessNotice,
  notConnectedNotice,
  unknownOrgNotice,
  workingNotice,
} from '../../src/blocks/notices';
import { blockText, expectValid } from './helpers';

describe('errorNotice', () => {
  it('shows the sentence and the request ID', () => {
    const message = errorNotice('Viam took too long to answer. Try again in a minute.', 'req-7f3a');
    expectValid(message);
    expect(message).toMatchSnapshot();
    expect(message.text).toBe('Viam took too long to answer. Try again in a minute.');
    expect(blockText(message)).toContain(':x: Viam took too long to answer. Try again in a minute.');
    expect(blockText(message)).toContain('Request ID `req-7f3a`');
  });

  it('escapes the message and has no request line without an ID', () => {
    const message = errorNotice('No org called <acme & co>.');
    expectValid(message);
    expect(message.blocks).toHaveLength(1);
    expect(message.text).toBe('No org called &lt;acme &amp; co&gt;.');
  });

  it('never sends an empty message', () => {
    expect(errorNotice('  ').text).toBe('Something went wrong.');
  });
});

describe('notConnectedNotice', () => {
  it('says how to connect', () => {
    const message = notConnectedNotice();
    expectValid(message);
    expect(message.text).toContain('`/viam-usage connect`');
    expect(message.text).toContain('organization-owner API key');
  });
});

describe('unknownOrgNotice', () => {
  it('lists the connected labels', () => {
    const message = unknownOrgNotice('acne', ['acme', 'acme-labs']);
    expectValid(message);
    expect(message.text).toBe(
      'No connected org is called `acne`. Connected: `acme`, `acme-labs`. `/viam-usage orgs` lists them.',
    );
  });

  it('counts labels beyond ten and handles none', () => {
    const many = Array.from({ length: 14 }, (_, index) => `org${index}`);
    expect(unknownOrgNotice('x', many).text).toContain('`org9` and 4 more.');
    expect(unknownOrgNotice('<x>', []).text).toBe(
      'No connected org is called `&lt;x&gt;`. `/viam-usage orgs` lists them.',
    );
  });
});

describe('noAccessNotice', () => {
  it('names whom to ask', () => {
    const message = noAccessNotice(['U012ABCDEF', 'W0987ZYX', 'U012ABCDEF']);
    expectValid(message);
    expect(message.text).toBe(
      'You don’t have access to Viam billing in this workspace. Ask <@U012ABCDEF> or <@W0987ZYX> to run `/viam-usage access add @you`.',
    );
  });

  it('drops anything that is not a user ID and caps the list', () => {
    const ids = ['<!here>', 'U1|x', ...Array.from({ length: 8 }, (_, index) => `U00${index}ABC`)];
    const message = noAccessNotice(ids);
    expectValid(message);
    expect(message.text).not.toContain('here');
    expect(message.text.match(/<@U/g)).toHaveLength(5);
    expect(message.text).toContain('(or one of 3 others who can)');
  });

  it('falls back to a workspace admin', () => {
    expect(noAccessNotice([]).text).toContain('Ask a workspace admin to run');
  });
});

describe('workingNotice', () => {
  it('is a short valid message', () => {
    const message = workingNotice();
    expect(message.text).toBe('Fetching billing from Viam…');
    expect(message.blocks).toHaveLength(1);
  });
});
