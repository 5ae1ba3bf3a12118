import { escapeHtml, fileKind, renderHtmlPreview } from '../../../dev/demo/html';
import type { Shown } from '../../../dev/demo/shown';

const names = { user: (id: string) => (id === 'U0ADAOWNER' ? 'Ada <Lovelace>' : undefined), channel: () => 'billing' };

function page(shown: Shown[]): string {
  return renderHtmlPreview(
    {
      title: 'Demo & co',
      intro: 'intro',
      summary: 'demo: 1 step passed, 0 failed',
      steps: [{ number: 1, caption: 'Ada <b>asks</b>', shown, checks: [{ expectation: 'shows "x"', passed: true }] }],
    },
    names,
  );
}

describe('renderHtmlPreview', () => {
  it('escapes every piece of text: captions, names, message text, code and button labels', () => {
    const html = page([
      { kind: 'typed', user: 'U0ADAOWNER', channel: 'C0BILLING0', text: '/viam-usage <script>' },
      {
        kind: 'message',
        channel: 'C0BILLING0',
        visibility: 'ephemeral',
        viewer: 'U0ADAOWNER',
        payload: {
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: '<img src=x onerror=alert(1)>' } },
            { type: 'section', text: { type: 'mrkdwn', text: '*Bold* `--org &lt;label&gt;` "quoted" & more' } },
            {
              type: 'actions',
              elements: [{ type: 'button', text: { type: 'plain_text', text: '<i>Share</i>' }, action_id: 'a' }],
            },
          ],
        },
      },
    ]);
    expect(html).not.toMatch(/<script|<img|<i>/);
    expect(html).toContain('<title>Demo &amp; co</title>');
    expect(html).toContain('Ada &lt;b&gt;asks&lt;/b&gt;');
    expect(html).toContain('<b>Ada &lt;Lovelace&gt;</b>');
    expect(html).toContain('<code class="typed">/viam-usage &lt;script&gt;</code>');
    expect(html).toContain('<div class="bk-header">&lt;img src=x onerror=alert(1)&gt;</div>');
    expect(html).toContain('<strong>Bold</strong> <code>--org &lt;label&gt;</code> &quot;quoted&quot; &amp; more');
    expect(html).toContain('<span class="bk-button">&lt;i&gt;Share&lt;/i&gt;</span>');
    expect(html).toContain('shows &quot;x&quot;');
  });

  it('links only http(s) and mailto addresses', () => {
    const html = page([
      {
        kind: 'message',
        channel: 'C0BILLING0',
        visibility: 'channel',
        payload: { text: '<https://app.viam.com|Viam> <javascript:alert(1)|click> <mailto:a@b.example|mail>' },
      },
    ]);
    expect(html).toContain('<a href="https://app.viam.com" rel="noopener noreferrer">Viam</a>');
    expect(html).toContain('<a href="mailto:a@b.example" rel="noopener noreferrer">mail</a>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain(' click ');
  });

  it('lays out fields in a grid, shows files, modals with their inputs, and loads nothing external', () => {
    const html = page([
      {
        kind: 'message',
        channel: 'C0BILLING0',
        visibility: 'channel',
        payload: {
          text: 'fallback',
          blocks: [
            {
              type: 'section',
              fields: [
                { type: 'mrkdwn', text: '*Month to date*\n$1' },
                { type: 'mrkdwn', text: '*Period*\nNov' },
              ],
            },
            { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'chart' },
          ],
        },
        files: [
          {
            filename: 'viam-invoice.pdf',
            title: 't',
            sizeBytes: 4721,
            channel: 'C0BILLING0',
            savedAs: 'viam-invoice.pdf',
          },
        ],
      },
      {
        kind: 'submitted',
        user: 'U0ADAOWNER',
        values: { org: 'org-1' },
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'Connect' },
          submit: { type: 'plain_text', text: 'Go' },
          blocks: [
            { type: 'input', block_id: 'org', label: { type: 'plain_text', text: 'Organization ID' }, element: {} },
          ],
        },
      },
    ]);
    expect(html).toContain(
      '<div class="bk-fields"><div class="bk-field"><strong>Month to date</strong><br>$1</div><div class="bk-field">',
    );
    expect(html).toContain('[image: chart]');
    expect(html).not.toMatch(/src=|<link|@import|https:\/\/example\.com/);
    expect(html).toContain('<a href="viam-invoice.pdf">viam-invoice.pdf</a>');
    expect(html).toContain('4.6 KB · shared in #billing');
    expect(html).toContain('<div class="modal-title">Connect</div>');
    expect(html).toContain('<div class="bk-label">Organization ID</div><span class="bk-box filled">org-1</span>');
    expect(html).toContain('<span class="bk-button primary">Go</span>');
  });
});

describe('shared files and the Home tab in the preview', () => {
  const shared = (filename: string, title: string) => ({
    filename,
    title,
    sizeBytes: 2048,
    channel: 'C0BILLING0',
    savedAs: filename,
  });

  it('labels each file by its type and shows a PNG under its link, titled, from the demo’s own folder', () => {
    const html = page([
      {
        kind: 'message',
        channel: 'C0BILLING0',
        visibility: 'channel',
        payload: { text: 'files' },
        files: [
          shared('viam-invoice.pdf', 'Invoice'),
          shared('default-spend-2026-11.png', 'default — spend <Nov>'),
          shared('usage.csv', 'Usage'),
        ],
      },
    ]);
    expect(html).toContain('<span class="file-icon pdf">PDF</span>');
    expect(html).toContain('<span class="file-icon png">PNG</span>');
    expect(html).toContain('<span class="file-icon csv">CSV</span>');
    expect(html).toContain(
      '<img class="file-image" src="default-spend-2026-11.png" alt="default — spend &lt;Nov&gt;">',
    );
    expect(html.match(/<img /g)).toHaveLength(1);
  });

  it('names a file’s type from its extension', () => {
    expect(['a.pdf', 'chart.PNG', 'x.csv', 'README'].map(fileKind)).toEqual(['PDF', 'PNG', 'CSV', 'FILE']);
  });

  it('draws the Home tab as a modal’s blocks under its own title, with no footer, and the app’s emoji', () => {
    const html = page([
      {
        kind: 'home',
        user: 'U0ADAOWNER',
        view: {
          type: 'home',
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: ':mag: Viam billing' } },
            { type: 'section', fields: [{ type: 'mrkdwn', text: '*Month to date*\n$1' }] },
            {
              type: 'context',
              elements: [
                { type: 'mrkdwn', text: ':large_yellow_circle: :rotating_light: :red_circle: :large_orange_circle:' },
              ],
            },
          ],
        },
      },
    ]);
    expect(html).toContain('<b>Ada &lt;Lovelace&gt;</b> opens the app’s Home tab:');
    expect(html).toContain('<div class="modal home-tab"><div class="modal-title">App Home · Viam billing</div>');
    expect(html).toContain('<div class="bk-header">🔍 Viam billing</div>');
    expect(html).toContain('<div class="bk-field"><strong>Month to date</strong><br>$1</div>');
    expect(html).toContain('🟡 🚨 🔴 🟠');
    expect(html).not.toContain('<div class="modal-footer">');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
