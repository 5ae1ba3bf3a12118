/**
 * `npm run demo` end to end: the whole walkthrough in-process against the real app, emulator and Slack
 * stand-in, the single-command mode, and `dev/demo/main.ts` as a child process. Each run first records
 * two months of usage history through the app's hourly checks, which takes several seconds.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { type DemoReport, runDemo } from '../../../dev/demo/demo';

const REPO = path.join(__dirname, '../../..');
/** One run of the demo, history included, with room for a busy machine. */
const DEMO_TIMEOUT_MS = 120_000;

interface ChildOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npx tsx dev/demo/main.ts …` from the repository root, without a terminal (so no colours). */
function runMain(args: string[]): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'dev/demo/main.ts', ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let outDir: string;
let childOutDir: string;
let tour: { report: DemoReport; transcript: string };
// The child spends most of its time compiling TypeScript; it runs while the in-process tour does.
let child: Promise<ChildOutcome>;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'viam-demo-'));
  childOutDir = await mkdtemp(path.join(tmpdir(), 'viam-demo-child-'));
  child = runMain(['usage', '--out', childOutDir]);
  // A file from an earlier run that the demo must clear, and one of the user's that it must leave alone.
  await writeFile(path.join(outDir, '42-stale.json'), '{}');
  await writeFile(path.join(outDir, 'notes.txt'), 'mine');
  let transcript = '';
  const report = await runDemo({ outDir, write: (text) => (transcript += text) });
  tour = { report, transcript };
}, DEMO_TIMEOUT_MS);

afterAll(async () => {
  await child?.catch(() => undefined);
  await rm(outDir, { recursive: true, force: true });
  await rm(childOutDir, { recursive: true, force: true });
});

describe('the walkthrough', () => {
  it('passes every step and says so in the summary', () => {
    const { report, transcript } = tour;
    const failures = report.steps.filter((step) => !step.passed);
    expect(failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => step.slug)).toEqual([
      'history',
      'help',
      'overview',
      'usage',
      'invoices',
      'share-pdf',
      'refused',
      'access-add',
      'member-reads',
      'connect',
      'connect-submit',
      'orgs',
      'usage-rivet',
      'compare',
      'chart',
      'usage-csv',
      'budget-set',
      'alerts-check',
      'digest-set',
      'digest-list',
      'digest-now',
      'digest-scheduled',
      'home',
      'secrets',
    ]);
    expect(transcript).toContain(`demo: ${report.steps.length} steps passed, 0 failed`);
    expect(transcript).toContain(outDir);
  });

  it('prints what Slack users would see, readably and without colour codes', () => {
    const { transcript } = tour;
    expect(transcript).not.toContain('\x1b[');
    expect(transcript).toMatch(/Ada Lovelace in #billing types \/viam-usage\n/);
    expect(transcript).toMatch(/┃ Month to date {2,}Billing period/);
    expect(transcript).toContain('┃ [Usage details]  [Invoices]  [Billing info]');
    expect(transcript).toMatch(/┃ Nov 1, 2026 · \$268\.55 · ⚠️ Overdue +\[Share PDF\]/);
    expect(transcript).toMatch(/📎 viam-invoice-2026-10-in_\w+\.pdf \(\d+(\.\d)? KB\) shared in #billing/);
    expect(transcript).toContain('┃ 🔒 You don’t have access to Viam billing');
    expect(transcript).toMatch(/│ Organization ID: _{8,}/);
    expect(transcript).toContain('│ API key: ••••••••••••');
    expect(transcript).toContain('viam-billing APP · in #billing\n┃ Weekly Viam digest · default');
    expect(transcript).toContain('Monday, Nov 30, 2026, 09:00 Europe/Berlin');
    expect(transcript).toMatch(/Ada Lovelace opens the app’s Home tab:\n╭─ App Home · Viam billing ─+╮/);
    expect(transcript).toMatch(/│ Month to date {2,}Projected month-end {2,}│/);
    for (const step of tour.report.steps) {
      for (const check of step.checks) expect(transcript).toContain(`  ✓ ${check.expectation}`);
    }
  });

  it('writes the Block Kit JSON of each step, the shared PDF, chart and CSV, the log and an HTML preview', async () => {
    const files = await readdir(outDir);
    expect(files).toEqual(
      expect.arrayContaining([
        '02-help.json',
        '03-overview.json',
        '05-invoices.json',
        '10-connect.json',
        '15-chart.json',
        '18-alerts-check.json',
        '21-digest-now.json',
        '22-digest-scheduled.json',
        '23-home.json',
        'default-spend-2026-11.png',
        // The digest shares a chart of the same name; it is kept beside the chart step's, not over it.
        'default-spend-2026-11-2.png',
        'viam-usage-default-2026-11-26.csv',
        'index.html',
        'app.log',
      ]),
    );
    expect(files).not.toContain('42-stale.json');
    expect(files).toContain('notes.txt');
    expect(tour.report.written.every((name) => files.includes(name))).toBe(true);

    const overview = JSON.parse(await readFile(path.join(outDir, '03-overview.json'), 'utf8'));
    expect(overview.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Viam billing · default', emoji: true },
    });
    const modal = JSON.parse(await readFile(path.join(outDir, '10-connect.json'), 'utf8'));
    expect(modal.callback_id).toBe('viam_usage.connect_org');
    const digest = JSON.parse(await readFile(path.join(outDir, '22-digest-scheduled.json'), 'utf8'));
    expect(digest.channel).toBe('C0BILLING0');
    expect(digest.text).toMatch(/^Weekly Viam digest/);
    const home = JSON.parse(await readFile(path.join(outDir, '23-home.json'), 'utf8'));
    expect(home.type).toBe('home');

    const pdfs = files.filter((name) => name.endsWith('.pdf'));
    expect(pdfs).toHaveLength(1);
    const pdf = await readFile(path.join(outDir, pdfs[0] ?? ''));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await stat(path.join(outDir, 'app.log'))).size).toBeGreaterThan(0);
  });

  it('writes index.html with every message in order, its text escaped', async () => {
    const html = await readFile(path.join(outDir, 'index.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<div class="bk-header">Viam billing · default</div>');
    expect(html).toContain('<div class="bk-field"><strong>Month to date</strong><br>$290.23</div>');
    // The overview's help-style hints and the help text carry < and >, which must arrive escaped.
    expect(html).toContain('<code>/viam-usage invoice &lt;invoice-id&gt;</code>');
    expect(html).not.toMatch(/<@U|<#C|<script/);
    const order = [
      'id="step-01"',
      '<div class="bk-header">Viam billing · default</div>',
      '<div class="bk-header">Invoices · default</div>',
      '<div class="modal-title">Connect a Viam org</div>',
      '<div class="bk-header">Weekly Viam digest · default</div>',
      '<div class="modal home-tab"><div class="modal-title">App Home · Viam billing</div>',
    ];
    const positions = order.map((needle) => html.indexOf(needle));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const pdf = (await readdir(outDir)).find((name) => name.endsWith('.pdf'));
    expect(html).toContain(`<a href="${pdf}">${pdf}</a>`);
    expect(html).toContain('<img class="file-image" src="default-spend-2026-11.png"');
    expect(html).toContain('<img class="file-image" src="default-spend-2026-11-2.png"');
  });
});

describe('two months of history at work', () => {
  const checksOf = (slug: string) => tour.report.steps.find((step) => step.slug === slug)?.checks ?? [];
  const passedCheck = (pattern: RegExp) =>
    expect.objectContaining({ expectation: expect.stringMatching(pattern), passed: true });

  it('records the history through the app’s own hourly checks, posting nothing', () => {
    expect(checksOf('history')).toEqual(
      expect.arrayContaining([
        passedCheck(/^the app’s check ran [\d,]+ times without a failure$/),
        passedCheck(/^each check in a new hour recorded that hour’s usage snapshot$/),
        passedCheck(/^the app keeps every hour of the last 30 days \(735\)/),
        passedCheck(/^and one snapshot a day before that, for each of the 30 days since Sunday, Sep 27, 2026$/),
        passedCheck(/^nothing was posted to Slack meanwhile$/),
      ]),
    );
    expect(tour.transcript.replace(/\s+/g, ' ')).toContain('the app recorded 912 usage snapshots');
  });

  it('checks the figures built on it: compare, the chart, one anomaly alert, both digests and the Home tab', () => {
    const monthOverMonth =
      /^it sets this month against last month at the same point: \$[\d,.]+ then, \+\$[\d,.]+ since$/;
    const weekOverWeek = /^it gives the change since last week: \+\$[\d,.]+ since /;
    expect(checksOf('compare')).toContainEqual(passedCheck(monthOverMonth));
    expect(checksOf('chart')).toContainEqual(passedCheck(/^it sets this period against the previous one: \$/));
    expect(checksOf('alerts-check')).toEqual(
      expect.arrayContaining([
        passedCheck(/^exactly one anomaly alert/),
        passedCheck(/^it names the line that jumped \(Standard compute\)$/),
        passedCheck(/^it gives what that line cost in the last 24 hours/),
      ]),
    );
    for (const slug of ['digest-now', 'digest-scheduled']) {
      expect(checksOf(slug)).toEqual(expect.arrayContaining([passedCheck(weekOverWeek), passedCheck(monthOverMonth)]));
    }
    expect(checksOf('home')).toContainEqual(
      passedCheck(/^it shows the default org’s month to date, as Viam reports it$/),
    );
  });

  it('keeps the overview’s figures of the README at the demo’s start', () => {
    expect(tour.transcript).toMatch(/┃ \$290\.23 {2,}Nov 1 – Nov 30, 2026 · day 26 of 30/);
  });
});

describe('a step that does not do what it should', () => {
  it(
    'fails the demo, names the step, and still stops everything',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'viam-demo-fail-'));
      let appUrl = '';
      try {
        let transcript = '';
        const report = await runDemo({
          outDir: dir,
          write: (text) => (transcript += text),
          arrange: (stack) => {
            appUrl = stack.appUrl;
            // Viam refuses the invoice PDF, so nothing is shared when Ada presses the button.
            stack.emulator.knobs.failNext('GetInvoicePdf', 10, status.PERMISSION_DENIED);
          },
        });
        expect(report.ok).toBe(false);
        expect(report.failedSteps).toEqual(['6 share-pdf']);
        expect(transcript).toContain('  ✗ an upload arrived in #billing (no file was shared)');
        expect(transcript).toContain(`demo: ${report.steps.length - 1} steps passed, 1 failed`);
        expect(transcript).toContain('  failed: 6 share-pdf');
        await expect(fetch(`${appUrl}/healthz`)).rejects.toThrow();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    DEMO_TIMEOUT_MS,
  );
});

describe('a single command', () => {
  it(
    'runs just that command as Ada in #billing and writes its JSON',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'viam-demo-one-'));
      try {
        let transcript = '';
        const report = await runDemo({ outDir: dir, command: 'invoices', write: (text) => (transcript += text) });
        expect(report.ok).toBe(true);
        expect(report.steps).toHaveLength(1);
        expect(transcript).toContain('Ada Lovelace in #billing types /viam-usage invoices');
        expect(transcript).toContain('┃ Invoices · default');
        expect(transcript).toContain('demo: 1 step passed, 0 failed');
        expect(transcript.replace(/\s+/g, ' ')).toContain(
          'recorded 912 usage snapshots of Acme’s org before this command',
        );
        expect(await readdir(dir)).toEqual(expect.arrayContaining(['01-invoices.json', 'index.html']));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    DEMO_TIMEOUT_MS,
  );

  it(
    'can be typed by someone else, elsewhere, and says who may be picked',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'viam-demo-one-'));
      try {
        let transcript = '';
        const report = await runDemo({
          outDir: dir,
          command: 'billing',
          as: 'linus',
          channel: '#general',
          write: (text) => (transcript += text),
        });
        expect(report.ok).toBe(true);
        expect(transcript).toContain('Linus Virtanen in #general types /viam-usage billing');
        expect(transcript).toContain('You don’t have access');
        await expect(runDemo({ outDir: dir, command: 'billing', as: 'bob', write: () => undefined })).rejects.toThrow(
          'No one called "bob" in the demo workspace. Pick one of: ada, grace, linus, mei.',
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    2 * DEMO_TIMEOUT_MS,
  );
});

describe('dev/demo/main.ts', () => {
  it(
    'runs `usage` in a child process: exit 0 and the usage details printed',
    async () => {
      const { code, stdout, stderr } = await child;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Ada Lovelace in #billing types /viam-usage usage');
      expect(stdout).toContain('┃ Usage details · default');
      expect(stdout).toContain('demo: 1 step passed, 0 failed');
      expect(stdout).not.toContain('\x1b[');
      expect(await readdir(childOutDir)).toContain('01-usage.json');
    },
    DEMO_TIMEOUT_MS,
  );
});
