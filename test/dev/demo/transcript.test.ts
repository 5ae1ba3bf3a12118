import {
  fileLine,
  formatSize,
  renderChecks,
  renderShown,
  renderSummary,
  stepHeading,
} from '../../../dev/demo/transcript';

const names = {
  user: (id: string) => ({ U0ADAOWNER: 'Ada Lovelace' })[id],
  channel: (id: string) => ({ C0BILLING0: 'billing' })[id],
};
const plain = { width: 60, color: false, names };

describe('the demo transcript', () => {
  it('heads a step with its number and caption across the width', () => {
    const heading = stepHeading(3, 17, 'Ada opens the usage details', plain);
    expect(heading).toBe(`\n━━ 3/17  Ada opens the usage details ${'━'.repeat(23)}\n`);
  });

  it('shows what was typed, then the answer framed with who sees it', () => {
    expect(
      renderShown({ kind: 'typed', user: 'U0ADAOWNER', channel: 'C0BILLING0', text: '/viam-usage usage' }, plain),
    ).toBe('Ada Lovelace in #billing types /viam-usage usage');
    const answer = renderShown(
      {
        kind: 'message',
        channel: 'C0BILLING0',
        visibility: 'ephemeral',
        viewer: 'U0ADAOWNER',
        payload: { text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Month to date*\n$1' } }] },
      },
      plain,
    );
    expect(answer).toBe('viam-billing APP · only visible to Ada Lovelace\n┃ Month to date\n┃ $1');
  });

  it('shows the Home tab in a box titled after the app, its blocks drawn as in a modal, with no buttons below', () => {
    const home = renderShown(
      {
        kind: 'home',
        user: 'U0ADAOWNER',
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Month to date* $1' } }] },
      },
      plain,
    );
    const lines = home.split('\n');
    expect(lines[0]).toBe('Ada Lovelace opens the app’s Home tab:');
    expect(lines[1]).toMatch(/^╭─ App Home · Viam billing ─+╮$/);
    expect(home).toMatch(/│ Month to date \$1 +│/);
    expect(lines.at(-1)).toMatch(/^╰─+╯$/);
    expect(lines.every((line) => line.length <= plain.width)).toBe(true);
  });

  it('shows a shared file as 📎 name (size) shared in #channel', () => {
    const file = { filename: 'viam-invoice-2026-10-in_1.pdf', title: 't', sizeBytes: 126_000, channel: 'C0BILLING0' };
    expect(fileLine(file, plain)).toBe('📎 viam-invoice-2026-10-in_1.pdf (123 KB) shared in #billing');
    expect([formatSize(900), formatSize(4721), formatSize(3 * 1024 * 1024)]).toEqual(['900 B', '4.6 KB', '3.0 MB']);
  });

  it('marks passed and failed checks, with the reason for a failure', () => {
    const rendered = renderChecks(
      [
        { expectation: 'an answer arrived', passed: true },
        { expectation: 'an upload arrived', passed: false, detail: 'no file was shared' },
      ],
      plain,
    );
    expect(rendered).toBe('  ✓ an answer arrived\n  ✗ an upload arrived (no file was shared)');
  });

  it('sums up, naming the failed steps and the output folder', () => {
    expect(renderSummary({ passed: 17, failed: 0, failedSteps: [], outDir: 'demo-output/' }, plain)).toBe(
      '✓ demo: 17 steps passed, 0 failed\n' +
        'The raw Block Kit JSON, shared files and an HTML preview (index.html) are in demo-output/',
    );
    expect(renderSummary({ passed: 15, failed: 2, failedSteps: ['5 share-pdf', '9 connect'] }, plain)).toBe(
      '✗ demo: 15 steps passed, 2 failed\n  failed: 5 share-pdf, 9 connect',
    );
  });
});
