import { renderHelp, renderUnknownCommand } from '../../src/blocks/help';
import { SUBCOMMANDS } from '../../src/handlers/commands/parse';
import { blockText, expectValid } from './helpers';

describe('renderHelp', () => {
  it('describes every subcommand with an example, and the options', () => {
    const message = renderHelp();
    expectValid(message);
    expect(message).toMatchSnapshot();
    const text = blockText(message);
    for (const syntax of [
      '`/viam-usage`',
      '`/viam-usage usage`',
      '`/viam-usage invoices`',
      '`/viam-usage invoice &lt;invoice-id&gt;`',
      '`/viam-usage billing`',
      '`/viam-usage connect`',
      '`/viam-usage disconnect [label]`',
      '`/viam-usage orgs`',
      '`/viam-usage access add @user`',
      '`/viam-usage access remove @user`',
      '`/viam-usage access list`',
      '`/viam-usage digest #channel [day] [HH:MM] [zone]`',
      '`/viam-usage digest list`',
      '`/viam-usage digest off #channel`',
      '`/viam-usage digest now`',
      '`/viam-usage budget`',
      '`/viam-usage budget &lt;amount&gt; [#channel]`',
      '`/viam-usage budget off`',
      '`/viam-usage chart`',
      '`/viam-usage help`',
      '`--org &lt;label&gt;`',
      '`share`',
    ]) {
      expect(text).toContain(syntax);
    }
    expect(text).toContain('e.g. `/viam-usage invoices --all`');
    expect(text).toContain('e.g. `/viam-usage digest #finance monday 09:00 Europe/Berlin`');
    expect(text).toContain('e.g. `/viam-usage budget 1500 #billing`');
    expect(text).toMatch(/`\/viam-usage chart` — Upload a PNG of month-to-date spend by category/);
    expect(message.text).toContain('budget, anomalies, chart, compare');
    expect(text).toContain('`/viam-usage compare` — This month so far against the same point last month');
    expect(text).toContain('e.g. `/viam-usage invoices csv`');
    expect(text).toContain('e.g. `/viam-usage anomalies --min 50`');
    // Every subcommand the parser knows is in the help.
    for (const sub of SUBCOMMANDS) expect(text).toContain(`\`/viam-usage ${sub}`);
    expect(message.text).toContain('--org &lt;label&gt;');
  });
});

describe('renderUnknownCommand', () => {
  it('suggests the closest subcommand, then shows the help', () => {
    const message = renderUnknownCommand('usgae', 'usage');
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('I don’t know `/viam-usage usgae`. Did you mean `usage`?');
    expect(text).toContain('`/viam-usage invoices`');
    expect(message.text.startsWith('I don’t know `/viam-usage usgae`. Did you mean `usage`?')).toBe(true);
  });

  it('works without a suggestion and neutralises hostile input', () => {
    const message = renderUnknownCommand(`<!channel> & \`rm\` ${'x'.repeat(500)}`);
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain("I don’t know `/viam-usage &lt;!channel&gt; &amp; 'rm' x");
    expect(text).not.toContain('Did you mean');
    expect(text).not.toContain('x'.repeat(101));
  });
});
