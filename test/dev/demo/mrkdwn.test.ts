import { parseMrkdwn, plainText } from '../../../dev/demo/mrkdwn';

describe('parseMrkdwn', () => {
  it('reads emphasis only at word boundaries and on one line', () => {
    expect(parseMrkdwn('*bold* and _it_ and ~gone~')).toEqual([
      { kind: 'bold', children: [{ kind: 'text', text: 'bold' }] },
      { kind: 'text', text: ' and ' },
      { kind: 'italic', children: [{ kind: 'text', text: 'it' }] },
      { kind: 'text', text: ' and ' },
      { kind: 'strike', children: [{ kind: 'text', text: 'gone' }] },
    ]);
    expect(parseMrkdwn('connect.api_key_id and 2*3*4')).toEqual([
      { kind: 'text', text: 'connect.api_key_id and 2*3*4' },
    ]);
    expect(parseMrkdwn('*not\nbold*')).toEqual([{ kind: 'text', text: '*not\nbold*' }]);
    expect(parseMrkdwn('* spaced *')).toEqual([{ kind: 'text', text: '* spaced *' }]);
  });

  it('nests emphasis and keeps code literal', () => {
    expect(parseMrkdwn('*_both_* `*not bold*`')).toEqual([
      { kind: 'bold', children: [{ kind: 'italic', children: [{ kind: 'text', text: 'both' }] }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: '*not bold*' },
    ]);
    expect(parseMrkdwn('```a *b*\n&lt;c&gt;```')).toEqual([{ kind: 'preformatted', text: 'a *b*\n<c>' }]);
  });

  it('reads links, mentions and specials inside angle brackets', () => {
    expect(parseMrkdwn('<https://x.example/?a=1&amp;b=2|the &lt;page&gt;> <https://y.example>')).toEqual([
      { kind: 'link', url: 'https://x.example/?a=1&b=2', label: 'the <page>' },
      { kind: 'text', text: ' ' },
      { kind: 'link', url: 'https://y.example' },
    ]);
    expect(parseMrkdwn('<@U1|ada><#C1><!here><!subteam^S1|@ops><!date^1|Nov 26>')).toEqual([
      { kind: 'user', id: 'U1', label: 'ada' },
      { kind: 'channel', id: 'C1' },
      { kind: 'special', text: '@here' },
      { kind: 'special', text: '@ops' },
      { kind: 'special', text: 'Nov 26' },
    ]);
  });

  it('decodes the three entities once, and known emoji codes only', () => {
    expect(plainText(parseMrkdwn('a &amp;lt; b &lt; c :warning: :no_such_emoji: 09:00:00'))).toBe(
      'a &lt; b < c ⚠️ :no_such_emoji: 09:00:00',
    );
  });
});

describe('plainText', () => {
  it('names users and channels from the lookup, else by label, else by ID', () => {
    const names = { user: (id: string) => (id === 'U1' ? 'Ada Lovelace' : undefined), channel: () => undefined };
    expect(plainText(parseMrkdwn('<@U1|ada> <@U2|grace> <@U3> <#C1|billing> <#C2>'), names)).toBe(
      '@Ada Lovelace @grace @U3 #billing #C2',
    );
  });
});
