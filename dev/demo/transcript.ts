/**
 * The demo's terminal transcript: a rule with the step's caption, what the person typed or pressed,
 * each answer framed like a Slack message (who sees it, then the blocks), the step's checks, and the
 * final summary. Pure; painting and width come from the caller.
 */
import type { Check } from './checks';
import { replaceEmojiCodes } from './emoji';
import { channelLabel, type NameLookup, NO_NAMES } from './mrkdwn';
import type { SharedFile, Shown } from './shown';
import { renderHomeTab, renderMessage, renderModal } from './terminal';
import { type Line, lineWidth, paint, paintLines, type Run, run, type Style, wrapRuns } from './text-layout';

export interface TranscriptOptions {
  width: number;
  color: boolean;
  names?: NameLookup;
}

/** Slack's modals are narrow; the demo draws them no wider than this. */
const MODAL_WIDTH = 76;

/** Over the Home tab's box: Slack names the tab after the app, and the app draws billing in it. */
export const HOME_TAB_TITLE = 'App Home · Viam billing';

export function stepHeading(number: number, total: number, caption: string, options: TranscriptOptions): string {
  const label: Run[] = [run(` ${number}/${total} `, { bold: true }), run(' '), run(caption, { bold: true }), run(' ')];
  const lead = run('━━', { color: 'magenta' });
  const fill = Math.max(2, options.width - 2 - lineWidth(label));
  // A caption wider than the terminal is not cut: the rule just ends after it.
  const tail = lineWidth(label) + 2 > options.width ? [] : [run('━'.repeat(fill), { color: 'magenta' })];
  return `\n${paint([lead, ...label, ...tail], options.color)}\n`;
}

export function renderShown(item: Shown, options: TranscriptOptions): string {
  const names = options.names ?? NO_NAMES;
  const person = (id: string) => names.user(id) ?? id;
  const where = (id: string) => channelLabel({ id }, names);
  const p = (runs: Run[]) => paint(runs, options.color);
  switch (item.kind) {
    case 'typed':
      return p([
        run(person(item.user), { bold: true }),
        run(` in ${where(item.channel)} types `, { dim: true }),
        run(item.text, { color: 'cyan', bold: true }),
      ]);
    case 'pressed':
      return p([
        run(person(item.user), { bold: true }),
        run(` in ${where(item.channel)} presses `, { dim: true }),
        run(`[${item.label}]`, { bold: true, color: 'cyan' }),
        ...(item.about ? [run(` ${item.about}`, { dim: true })] : []),
      ]);
    case 'submitted': {
      const intro = p([
        run(person(item.user), { bold: true }),
        run(' fills in the form and submits it:', { dim: true }),
      ]);
      return `${intro}\n${modal(item.view, options, item.values)}`;
    }
    case 'modal':
      return `${p([run(`A modal opens for ${person(item.user)}:`, { dim: true })])}\n${modal(item.view, options)}`;
    case 'home': {
      const intro = p([run(person(item.user), { bold: true }), run(' opens the app’s Home tab:', { dim: true })]);
      const tab = renderHomeTab(item.view, HOME_TAB_TITLE, {
        width: options.width,
        color: options.color,
        names: options.names,
      });
      return `${intro}\n${tab}`;
    }
    case 'message':
      return messageFrame(item, options);
    case 'note':
      return paintLines(
        wrapRuns([run(replaceEmojiCodes(item.text), { italic: true, color: 'yellow' })], options.width),
        options.color,
      ).join('\n');
  }
  return '';
}

function modal(view: unknown, options: TranscriptOptions, values?: Record<string, string>): string {
  return renderModal(view, {
    width: Math.min(options.width, MODAL_WIDTH),
    color: options.color,
    names: options.names,
    ...(values ? { values } : {}),
  });
}

function messageFrame(item: Extract<Shown, { kind: 'message' }>, options: TranscriptOptions): string {
  const names = options.names ?? NO_NAMES;
  const audience =
    item.visibility === 'ephemeral'
      ? `only visible to ${item.viewer ? (names.user(item.viewer) ?? item.viewer) : 'you'}`
      : `in ${channelLabel({ id: item.channel }, names)}`;
  const heading = paint(
    [run('viam-billing', { bold: true }), run(' APP ', { dim: true }), run(`· ${audience}`, { dim: true })],
    options.color,
  );
  const gutter: Style = { color: item.visibility === 'ephemeral' ? 'gray' : 'green' };
  const body = renderMessage(item.payload, { width: options.width - 2, color: options.color, names });
  const bar = paint([run('┃', gutter)], options.color);
  const framed = body.split('\n').map((line) => (line === '' ? bar : `${bar} ${line}`));
  const files = (item.files ?? []).map((file) => `${bar} ${fileLine(file, options)}`);
  return [heading, ...framed, ...files].join('\n');
}

/** `📎 viam-invoice-2026-10-in_….pdf (4.6 KB) shared in #billing` */
export function fileLine(file: SharedFile, options: TranscriptOptions): string {
  const names = options.names ?? NO_NAMES;
  const runs: Line = [
    run('📎 '),
    run(file.filename, { bold: true }),
    run(` (${formatSize(file.sizeBytes)}) shared in ${channelLabel({ id: file.channel }, names)}`),
  ];
  return paint(runs, options.color);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function renderChecks(checks: readonly Check[], options: TranscriptOptions): string {
  return checks
    .map((each) =>
      paint(
        each.passed
          ? [run('  ✓ ', { color: 'green', bold: true }), run(each.expectation, { dim: true })]
          : [
              run('  ✗ ', { color: 'red', bold: true }),
              run(each.expectation, { color: 'red' }),
              ...(each.detail ? [run(` (${each.detail})`, { dim: true })] : []),
            ],
        options.color,
      ),
    )
    .join('\n');
}

export interface SummaryInput {
  passed: number;
  failed: number;
  failedSteps: string[];
  outDir?: string;
}

/** `demo: N steps passed, 0 failed`, the failed steps by name, and where the files went. */
export function renderSummary(summary: SummaryInput, options: TranscriptOptions): string {
  const ok = summary.failed === 0;
  const lines = [
    paint(
      [run(ok ? '✓ ' : '✗ ', { color: ok ? 'green' : 'red', bold: true }), run(summaryLine(summary), { bold: true })],
      options.color,
    ),
  ];
  if (!ok) lines.push(paint([run(`  failed: ${summary.failedSteps.join(', ')}`, { color: 'red' })], options.color));
  if (summary.outDir) {
    lines.push(
      paint(
        [
          run('The raw Block Kit JSON, shared files and an HTML preview (index.html) are in '),
          run(summary.outDir, { bold: true }),
        ],
        options.color,
      ),
    );
  }
  return lines.join('\n');
}

/** `demo: 17 steps passed, 0 failed` */
export function summaryLine(summary: { passed: number; failed: number }): string {
  return `demo: ${summary.passed} ${summary.passed === 1 ? 'step' : 'steps'} passed, ${summary.failed} failed`;
}
