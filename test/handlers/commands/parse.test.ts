import { parseAmount, parseChannelMention, parseCommand, parseUserMention } from '../../../src/handlers/commands/parse';

describe('parseCommand', () => {
  it('reads an empty text as the overview', () => {
    expect(parseCommand('')).toEqual({ kind: 'overview', share: false });
    expect(parseCommand('   ')).toEqual({ kind: 'overview', share: false });
  });

  it('reads each plain subcommand, case-insensitively', () => {
    for (const kind of ['usage', 'billing', 'connect', 'orgs', 'help', 'reset'] as const) {
      expect(parseCommand(kind.toUpperCase())).toEqual({ kind, share: false });
    }
    expect(parseCommand('invoices')).toEqual({ kind: 'invoices', all: false, share: false });
    expect(parseCommand('invoices --all')).toEqual({ kind: 'invoices', all: true, share: false });
  });

  it('takes --org in either form and share as the last word', () => {
    expect(parseCommand('usage --org acme share')).toEqual({ kind: 'usage', org: 'acme', share: true });
    expect(parseCommand('--org=acme invoices')).toEqual({ kind: 'invoices', all: false, org: 'acme', share: false });
    expect(parseCommand('usage --org "Acme Robotics"')).toEqual({ kind: 'usage', org: 'Acme Robotics', share: false });
  });

  it('reads text as Slack escapes it: &, < and > arrive as entities', () => {
    expect(parseCommand('usage --org "R&amp;D &lt;lab&gt;"')).toMatchObject({ kind: 'usage', org: 'R&D <lab>' });
  });

  it('asks for a label when --org has none', () => {
    const parsed = parseCommand('usage --org');
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'invalid') expect(parsed.problem).toMatch(/--org/);
  });

  it('reads an invoice id and explains a missing one', () => {
    expect(parseCommand('invoice in_1Q2w3E4r')).toEqual({ kind: 'invoice', invoiceId: 'in_1Q2w3E4r', share: false });
    const missing = parseCommand('invoice');
    expect(missing.kind).toBe('invalid');
    if (missing.kind === 'invalid') expect(missing.problem).toMatch(/invoice in_/);
  });

  it('reads disconnect with and without a label', () => {
    expect(parseCommand('disconnect')).toEqual({ kind: 'disconnect', label: undefined, share: false });
    expect(parseCommand('disconnect acme')).toEqual({ kind: 'disconnect', label: 'acme', share: false });
  });

  it('reads access subcommands with escaped mentions', () => {
    expect(parseCommand('access')).toEqual({ kind: 'access', action: 'list', share: false });
    expect(parseCommand('access add <@U012AB3CD|jane>')).toEqual({
      kind: 'access',
      action: 'add',
      userId: 'U012AB3CD',
      share: false,
    });
    expect(parseCommand('access remove <@W0XYZ>')).toMatchObject({ action: 'remove', userId: 'W0XYZ' });
    expect(parseCommand('access add jane').kind).toBe('invalid');
    expect(parseCommand('access frobnicate').kind).toBe('invalid');
  });

  it('reads digest subcommands with escaped channels', () => {
    expect(parseCommand('digest <#C0BILLING|billing> fri 16:30 Europe/Berlin --org acme')).toEqual({
      kind: 'digest',
      action: 'set',
      channelId: 'C0BILLING',
      scheduleWords: ['fri', '16:30', 'Europe/Berlin'],
      org: 'acme',
      share: false,
    });
    expect(parseCommand('digest <#G0FIN>')).toMatchObject({ action: 'set', channelId: 'G0FIN', scheduleWords: [] });
    expect(parseCommand('digest list')).toEqual({ kind: 'digest', action: 'list', share: false });
    expect(parseCommand('digest off <#C0BILLING|billing>')).toMatchObject({ action: 'off', channelId: 'C0BILLING' });
    expect(parseCommand('digest now')).toEqual({ kind: 'digest', action: 'now', share: false });
    expect(parseCommand('digest now <#C0BILLING>')).toMatchObject({ action: 'now', channelId: 'C0BILLING' });
  });

  it('explains digest input that names no channel', () => {
    expect(parseCommand('digest')).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/Name a channel/) });
    expect(parseCommand('digest #nowhere mon')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringMatching(/did not recognise #nowhere/),
    });
    expect(parseCommand('digest off')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringMatching(/which channel/),
    });
    expect(parseCommand('digest monday')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringMatching(/Start with/),
    });
  });

  it('suggests the closest subcommand for a typo and none for nonsense', () => {
    expect(parseCommand('usgae')).toMatchObject({ kind: 'unknown', input: 'usgae', suggestion: 'usage' });
    expect(parseCommand('invoces')).toMatchObject({ kind: 'unknown', suggestion: 'invoices' });
    expect(parseCommand('inv')).toMatchObject({ kind: 'unknown', suggestion: 'invoices' });
    expect(parseCommand('xyzzy')).toMatchObject({ kind: 'unknown', suggestion: undefined });
  });

  it('rejects extra words and unbalanced quotes with a clear problem', () => {
    expect(parseCommand('usage now please')).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('usage --org "acme')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringMatching(/quote/),
    });
  });
});

describe('budget, chart and CSV export', () => {
  it('reads budget show, off and set with an optional channel', () => {
    expect(parseCommand('budget')).toEqual({ kind: 'budget', action: 'show', share: false });
    expect(parseCommand('budget OFF')).toEqual({ kind: 'budget', action: 'off', share: false });
    expect(parseCommand('budget $1,500.50 &lt;#C0BILLING|billing&gt;')).toEqual({
      kind: 'budget',
      action: 'set',
      amount: 1500.5,
      channelId: 'C0BILLING',
      share: false,
    });
    expect(parseCommand('budget 2k --org farm')).toEqual({
      kind: 'budget',
      action: 'set',
      amount: 2000,
      org: 'farm',
      share: false,
    });
    expect(parseCommand('chart')).toEqual({ kind: 'chart', share: false });
    expect(parseCommand('usage CSV --org farm')).toEqual({ kind: 'export', what: 'usage', org: 'farm', share: false });
    expect(parseCommand('invoices csv')).toEqual({ kind: 'export', what: 'invoices', share: false });
    expect(parseCommand('usage csv extra').kind).toBe('invalid');
  });

  it('explains an amount or channel it cannot read', () => {
    for (const text of ['budget lots', 'budget -5', 'budget 0', 'budget 1,50', 'budget 12.345']) {
      const parsed = parseCommand(text);
      expect(parsed.kind).toBe('invalid');
      if (parsed.kind === 'invalid') expect(parsed.problem).toContain('/viam-usage budget 1500 #billing');
    }
    const parsed = parseCommand('budget 100 #billing');
    expect(parsed).toMatchObject({ kind: 'invalid' });
    if (parsed.kind === 'invalid') expect(parsed.problem).toContain('did not recognise #billing');
    expect(parseCommand('budget 100 <#C1|a> extra').kind).toBe('invalid');
  });

  it('reads amounts with a dollar sign, thousands separators, cents and k', () => {
    expect(parseAmount('1500')).toBe(1500);
    expect(parseAmount('$12,345,678.9')).toBe(12345678.9);
    expect(parseAmount('.5')).toBe(0.5);
    expect(parseAmount('1.5K')).toBe(1500);
    expect(parseAmount('1e3')).toBeUndefined();
    expect(parseAmount('0.00')).toBeUndefined();
  });
});

describe('anomalies', () => {
  it('reads on/off and the thresholds in any order, or nothing to show the settings', () => {
    expect(parseCommand('anomalies')).toEqual({ kind: 'anomalies', share: false });
    expect(parseCommand('anomalies off')).toEqual({ kind: 'anomalies', enabled: false, share: false });
    expect(parseCommand('anomalies on --min $35 --pct=80%')).toEqual({
      kind: 'anomalies',
      enabled: true,
      minDailyUsd: 35,
      minIncreasePct: 80,
      share: false,
    });
    expect(parseCommand('anomalies --pct 25 --org farm')).toEqual({
      kind: 'anomalies',
      minIncreasePct: 25,
      org: 'farm',
      share: false,
    });
  });

  it('explains a threshold it cannot read', () => {
    for (const text of [
      'anomalies --min',
      'anomalies --min lots',
      'anomalies --pct 0',
      'anomalies --pct 1.5',
      'anomalies maybe',
    ]) {
      expect(parseCommand(text).kind).toBe('invalid');
    }
    const parsed = parseCommand('anomalies --pct');
    if (parsed.kind === 'invalid') expect(parsed.problem).toBe('`--pct` needs a percentage, e.g. `--pct 50`.');
  });
});

describe('mentions', () => {
  it('extracts ids only from well-formed escapes', () => {
    expect(parseUserMention('<@U1ABC|bob>')).toBe('U1ABC');
    expect(parseUserMention('@bob')).toBeUndefined();
    expect(parseChannelMention('<#C0123ABC|general>')).toBe('C0123ABC');
    expect(parseChannelMention('<#C0123ABC>')).toBe('C0123ABC');
    expect(parseChannelMention('#general')).toBeUndefined();
  });
});
