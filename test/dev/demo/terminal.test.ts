/** The demo's terminal rendering of Block Kit: pure, so it is checked on blocks written out here. */
import { renderBlocks, renderMessage, renderModal, terminalWidth, useColor } from '../../../dev/demo/terminal';
import { displayWidth } from '../../../dev/demo/text-layout';
import { connectModal } from '../../../src/blocks/connect-modal';

const names = {
  user: (id: string) => ({ U0ADAOWNER: 'Ada Lovelace' })[id],
  channel: (id: string) => ({ C0BILLING0: 'billing' })[id],
};
const ESC = '\x1b[';

function mrkdwn(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function visibleLines(rendered: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the ANSI codes the renderer wrote
  return rendered.split('\n').map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
}

describe('renderBlocks', () => {
  it('draws a header underlined: with a rule when plain, with bold and underline codes when coloured', () => {
    const header = { type: 'header', text: { type: 'plain_text', text: 'Invoices · acme', emoji: true } };
    expect(renderBlocks([header])).toBe('Invoices · acme\n═══════════════');
    expect(renderBlocks([header], { color: true })).toBe(`${ESC}1;4mInvoices · acme${ESC}0m`);
  });

  it('reads mrkdwn: bold, italic, code, links, mentions by name, entities and emoji', () => {
    const text =
      '*Overdue:* _due_ `in_123` <https://app.viam.com/billing|Billing page> <mailto:a@b.example|a@b.example> ' +
      '<@U0ADAOWNER> <#C0BILLING0> <@U0UNKNOWN|grace> `--org &lt;label&gt;` :warning: a_b_c';
    expect(renderBlocks([mrkdwn(text)], { names, width: 200 })).toBe(
      'Overdue: due `in_123` Billing page (https://app.viam.com/billing) a@b.example @Ada Lovelace #billing ' +
        '@grace `--org <label>` ⚠️ a_b_c',
    );
    const coloured = renderBlocks([mrkdwn('*Overdue:* `x` <@U0ADAOWNER>')], { names, color: true });
    expect(coloured).toBe(`${ESC}1mOverdue:${ESC}0m ${ESC}36mx${ESC}0m ${ESC}1;34m@Ada Lovelace${ESC}0m`);
  });

  it('lays fields out two to a row, side by side', () => {
    const section = {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Month to date*\n$290.23' },
        { type: 'mrkdwn', text: '*Billing period*\nNov 1 – Nov 30, 2026' },
        { type: 'mrkdwn', text: '*Projected*\n$339.78' },
      ],
    };
    const lines = renderBlocks([section], { width: 60 }).split('\n');
    expect(lines[0]).toMatch(/^Month to date {2,}Billing period$/);
    expect(lines[1]).toMatch(/^\$290\.23 {2,}Nov 1 – Nov 30, 2026$/);
    expect(lines[0]?.indexOf('Billing period')).toBe(lines[1]?.indexOf('Nov 1'));
    expect(lines.slice(2)).toEqual(['', 'Projected', '$339.78']);
  });

  it('puts a section’s button at the right edge of its first line', () => {
    const row = {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Nov 1, 2026* · $268.55 · :warning: *Overdue*\nDue Nov 16, 2026' },
      accessory: { type: 'button', text: { type: 'plain_text', text: 'Share PDF' }, action_id: 'a', value: 'v' },
    };
    const [first, second] = renderBlocks([row], { width: 70 }).split('\n');
    expect(first).toMatch(/^Nov 1, 2026 · \$268\.55 · ⚠️ Overdue +\[Share PDF\]$/);
    expect(displayWidth(first ?? '')).toBe(70);
    expect(second).toBe('Due Nov 16, 2026');
  });

  it('dims context, draws dividers, shows buttons and images by their labels', () => {
    const blocks = [
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'As of *Nov 26*' },
          { type: 'image', alt_text: 'logo' },
        ],
      },
      { type: 'divider' },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Usage details' }, action_id: 'u' },
          { type: 'button', text: { type: 'plain_text', text: 'Invoices' }, action_id: 'i', style: 'primary' },
        ],
      },
      { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'Spend by week' },
      { type: 'call' },
    ];
    expect(renderBlocks(blocks, { width: 40 }).split('\n')).toEqual([
      'As of Nov 26   [image: logo]',
      '─'.repeat(40),
      '[Usage details]  [Invoices]',
      '',
      '[image: Spend by week]',
      '',
      '[call block]',
    ]);
    const coloured = renderBlocks(blocks.slice(0, 3), { width: 40, color: true }).split('\n');
    expect(coloured[0]).toBe(
      `${ESC}2mAs of ${ESC}0m${ESC}1;2mNov 26${ESC}0m${ESC}2m   ${ESC}0m${ESC}2;3m[image: logo]${ESC}0m`,
    );
    expect(coloured[2]).toBe(`${ESC}1m[Usage details]${ESC}0m  ${ESC}1;32m[Invoices]${ESC}0m`);
  });

  it('wraps to the width: words kept whole, list items continue under their text, long words cut', () => {
    const text = `• ${'word '.repeat(30)}\n${'x'.repeat(75)}\n⚠️ ${'wide '.repeat(12)}`;
    const lines = renderBlocks([mrkdwn(text)], { width: 32 }).split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(32);
    expect(lines[0]).toMatch(/^• word word/);
    expect(lines[1]).toMatch(/^ {2}word/);
    expect(lines.filter((line) => /^x+$/.test(line)).map((line) => line.length)).toEqual([32, 32, 11]);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('word word');
  });

  it('keeps multi-line sections and separates blocks with one blank line', () => {
    expect(renderBlocks([mrkdwn('a\nb'), mrkdwn('c')])).toBe('a\nb\n\nc');
  });
});

describe('renderMessage', () => {
  it('shows the fallback text when there are no blocks', () => {
    expect(renderMessage({ text: '<@U0ADAOWNER> shared *the* invoice.' }, { names })).toBe(
      '@Ada Lovelace shared the invoice.',
    );
  });

  it('prefers the blocks when there are some', () => {
    expect(renderMessage({ text: 'fallback', blocks: [mrkdwn('blocks')] })).toBe('blocks');
  });
});

describe('renderModal', () => {
  const modal = connectModal({ privateMetadata: '{}' });

  it('frames the app’s connect modal with its title, inputs as blanks, hints and buttons', () => {
    const lines = renderModal(modal, { width: 70 }).split('\n');
    expect(lines[0]).toMatch(/^╭─ Connect a Viam org ─+╮$/);
    expect(lines.at(-1)).toMatch(/^╰─+ \[Cancel\] {2}\[Connect\] ─╯$/);
    const body = lines.join('\n');
    expect(body).toMatch(/│ Organization ID: _{8,} +│/);
    expect(body).toMatch(/│ API key ID: _{8,} +│/);
    expect(body).toMatch(/│ Label \(optional\): _{8,} +│/);
    expect(body).toContain('│   Stored encrypted and never shown again, not even to you.');
    for (const line of lines) expect(displayWidth(line)).toBe(70);
  });

  it('shows typed values in place of the blanks', () => {
    const rendered = renderModal(modal, {
      width: 70,
      values: { 'connect.org_id': 'org-123', 'connect.api_key': '••••' },
    });
    expect(rendered).toContain('│ Organization ID: org-123 ');
    expect(rendered).toContain('│ API key: •••• ');
    expect(rendered).toMatch(/│ API key ID: _{8,}/);
  });

  it('paints the frame and the submit button when coloured, and stays aligned', () => {
    const lines = visibleLines(renderModal(modal, { width: 50, color: true }));
    for (const line of lines) expect(displayWidth(line)).toBe(50);
    expect(renderModal(modal, { width: 50, color: true })).toContain(`${ESC}1;32m[Connect]${ESC}0m`);
  });
});

describe('terminal settings', () => {
  it('colours only a TTY, and never with NO_COLOR set', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('wraps to the terminal when there is one, to 100 columns otherwise, within 30..120', () => {
    expect(terminalWidth({ isTTY: false, columns: 80 })).toBe(100);
    expect(terminalWidth({ isTTY: true, columns: 80 })).toBe(80);
    expect(terminalWidth({ isTTY: true, columns: 300 })).toBe(120);
    expect(terminalWidth({ isTTY: true, columns: 10 })).toBe(30);
    expect(terminalWidth({ isTTY: true })).toBe(100);
  });
});
