/**
 * Block Kit as a Slack user would read it, in a terminal: headers bold and underlined, mrkdwn
 * formatting, fields side by side, context dimmed, buttons as `[Share PDF]`, modals in a box with
 * their inputs as `Organization ID: ________`. Pure: the caller says how wide, whether to colour and
 * how to name users and channels.
 */
import { replaceEmojiCodes } from './emoji';
import { arrayField, field, stringField, textObject } from './json';
import { channelLabel, type Inline, type NameLookup, NO_NAMES, parseMrkdwn, userLabel } from './mrkdwn';
import {
  type Line,
  lineWidth,
  padLine,
  paintLines,
  type Run,
  repeatToWidth,
  restyle,
  run,
  type Style,
  wrapRuns,
} from './text-layout';

export const DEFAULT_WIDTH = 100;
/** Slack's message column is narrow; wider than this only makes lines harder to read. */
export const MAX_WIDTH = 120;
const MIN_WIDTH = 30;
const INPUT_BLANK = '________________________';

export interface TerminalOptions {
  /** Columns available; default 100. */
  width?: number;
  /** Paint with ANSI codes; default false. */
  color?: boolean;
  /** Names for `<@U…>` and `<#C…>`; unknown IDs show as the ID. */
  names?: NameLookup;
}

export interface ModalOptions extends TerminalOptions {
  /** What the person typed, by input block ID, shown in place of the blanks. */
  values?: Readonly<Record<string, string>>;
}

interface Ctx {
  color: boolean;
  names: NameLookup;
}

/** Whether to paint: only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}

/** The terminal's width when known, else 100; kept between 30 and 120 columns. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }): number {
  const columns = stream.isTTY && stream.columns ? stream.columns : DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns));
}

/** A message payload (`text` and optional `blocks`); without blocks its `text` is shown as mrkdwn. */
export function renderMessage(message: unknown, options: TerminalOptions = {}): string {
  const blocks = arrayField(message, 'blocks');
  if (blocks.length > 0) return renderBlocks(blocks, options);
  const ctx = contextOf(options);
  return paintLines(wrapRuns(mrkdwnRuns(stringField(message, 'text') ?? '', ctx), widthOf(options)), ctx.color).join(
    '\n',
  );
}

export function renderBlocks(blocks: readonly unknown[], options: TerminalOptions = {}): string {
  const ctx = contextOf(options);
  return paintLines(blockLines(blocks, widthOf(options), ctx, {}), ctx.color).join('\n');
}

/** A modal view in a box: title on the top edge, its blocks inside, Close and Submit on the bottom edge. */
export function renderModal(view: unknown, options: ModalOptions = {}): string {
  const ctx = contextOf(options);
  const title = textObject(field(view, 'title'))?.text ?? 'Modal';
  const buttons = [textObject(field(view, 'close'))?.text, textObject(field(view, 'submit'))?.text]
    .filter((label): label is string => label !== undefined)
    .map((label, index, all) => buttonRuns(label, index === all.length - 1 && all.length > 1 ? 'primary' : '', ctx));
  return boxedBlocks(title, arrayField(view, 'blocks'), buttons, options);
}

/**
 * A Home tab in the same box as a modal. A Home view has no title of its own (Slack shows the app's name
 * on the tab), so the caller gives one; it has no Close or Submit either.
 */
export function renderHomeTab(view: unknown, title: string, options: TerminalOptions = {}): string {
  return boxedBlocks(title, arrayField(view, 'blocks'), [], options);
}

function boxedBlocks(title: string, blocks: readonly unknown[], buttons: Run[][], options: ModalOptions): string {
  const ctx = contextOf(options);
  const width = widthOf(options);
  const inner = Math.max(10, width - 4);
  const frame: Style = ctx.color ? { color: 'gray' } : {};
  const edge = (left: string, label: Run[], right: string, alignRight: boolean): Line => {
    const fill = Math.max(0, width - 2 - 2 - lineWidth(label));
    const dashes = run('─'.repeat(fill), frame);
    return alignRight
      ? [run(`${left}─`, frame), dashes, ...label, run(`─${right}`, frame)]
      : [run(`${left}─`, frame), ...label, dashes, run(`─${right}`, frame)];
  };
  const titleRuns = [run(' '), run(replaceEmojiCodes(title), { bold: true }), run(' ')];
  const footerRuns = buttons.length === 0 ? [] : [run(' '), ...joinRuns(buttons, [run('  ')]), run(' ')];
  const body = blockLines(blocks, inner, ctx, options.values ?? {});
  const lines: Line[] = [
    edge('╭', titleRuns, '╮', false),
    ...[[], ...body, []].map((line) => [run('│ ', frame), ...padLine(line, inner), run(' │', frame)]),
    edge('╰', footerRuns, '╯', true),
  ];
  return paintLines(lines, ctx.color).join('\n');
}

function contextOf(options: TerminalOptions): Ctx {
  return { color: options.color ?? false, names: options.names ?? NO_NAMES };
}

function widthOf(options: TerminalOptions): number {
  return Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH));
}

// --- blocks ---------------------------------------------------------------------------------------------------------

function blockLines(
  blocks: readonly unknown[],
  width: number,
  ctx: Ctx,
  values: Readonly<Record<string, string>>,
): Line[] {
  const lines: Line[] = [];
  let previousWasDivider = true;
  for (const block of blocks) {
    const type = stringField(block, 'type');
    const rendered = renderBlock(block, width, ctx, values);
    if (rendered.length === 0) continue;
    // A blank line between blocks, as Slack spaces them; a divider is its own separator.
    if (!previousWasDivider && type !== 'divider') lines.push([]);
    lines.push(...rendered);
    previousWasDivider = type === 'divider';
  }
  return lines;
}

function renderBlock(block: unknown, width: number, ctx: Ctx, values: Readonly<Record<string, string>>): Line[] {
  switch (stringField(block, 'type')) {
    case 'header':
      return headerLines(block, width, ctx);
    case 'section':
      return sectionLines(block, width, ctx);
    case 'divider':
      return [[run(repeatToWidth('─', width), { dim: true })]];
    case 'context':
      return wrapRuns(restyle(contextRuns(block, ctx), { dim: true }), width);
    case 'actions':
      return packRuns(
        arrayField(block, 'elements').map((element) => elementRuns(element, ctx)),
        width,
      );
    case 'image':
      return imageLines(block, width, ctx);
    case 'input':
      return inputLines(block, width, ctx, values);
    case 'table':
      return tableLines(block, width);
    case 'rich_text':
      return wrapRuns([run(richTextPlain(block))], width);
    default:
      return [[run(`[${stringField(block, 'type') ?? 'unknown'} block]`, { dim: true })]];
  }
}

function headerLines(block: unknown, width: number, ctx: Ctx): Line[] {
  const text = replaceEmojiCodes(textObject(field(block, 'text'))?.text ?? '');
  const lines = wrapRuns([run(text, { bold: true, underline: true })], width);
  if (ctx.color) return lines;
  // Without colour an underline has to be drawn.
  const longest = Math.max(...lines.map(lineWidth));
  return [...lines, [run('═'.repeat(longest))]];
}

function sectionLines(block: unknown, width: number, ctx: Ctx): Line[] {
  const accessory = field(block, 'accessory');
  const accessoryRuns = accessory === undefined ? [] : elementRuns(accessory, ctx);
  const accessoryWidth = lineWidth(accessoryRuns);
  const textWidth = accessoryWidth > 0 ? Math.max(MIN_WIDTH / 2, width - accessoryWidth - 2) : width;

  const text = textObject(field(block, 'text'));
  const lines: Line[] = text ? wrapRuns(textRuns(text, ctx), textWidth) : [];
  const fields = arrayField(block, 'fields')
    .map((each) => textObject(each))
    .filter((each) => each !== undefined);
  if (fields.length > 0) lines.push(...fieldGrid(fields, textWidth, ctx));
  if (accessoryWidth === 0) return lines;
  if (lines.length === 0) return [padLeft(accessoryRuns, width)];
  const [first = [], ...rest] = lines;
  return [[...padLine(first, textWidth), run('  '), ...accessoryRuns], ...rest];
}

/** Fields two to a row, as Slack lays them out, with a blank line between rows. */
function fieldGrid(fields: { type: 'plain_text' | 'mrkdwn'; text: string }[], width: number, ctx: Ctx): Line[] {
  const gap = 3;
  const column = Math.floor((width - gap) / 2);
  const lines: Line[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const left = wrapRuns(textRuns(fields[i] ?? { type: 'plain_text', text: '' }, ctx), column);
    const rightField = fields[i + 1];
    const right = rightField ? wrapRuns(textRuns(rightField, ctx), column) : [];
    if (i > 0) lines.push([]);
    for (let row = 0; row < Math.max(left.length, right.length); row += 1) {
      const rightLine = right[row] ?? [];
      lines.push(rightLine.length > 0 ? [...padLine(left[row] ?? [], column + gap), ...rightLine] : (left[row] ?? []));
    }
  }
  return lines;
}

function contextRuns(block: unknown, ctx: Ctx): Run[] {
  const parts = arrayField(block, 'elements').map((element) =>
    stringField(element, 'type') === 'image' ? imageRuns(element) : textRuns(textObject(element), ctx),
  );
  return joinRuns(
    parts.filter((part) => part.length > 0),
    [run('   ')],
  );
}

function imageLines(block: unknown, width: number, ctx: Ctx): Line[] {
  const title = textObject(field(block, 'title'));
  const lines = title ? wrapRuns(textRuns(title, ctx), width) : [];
  return [...lines, ...wrapRuns(imageRuns(block), width)];
}

function imageRuns(image: unknown): Run[] {
  return [run(`[image: ${stringField(image, 'alt_text') ?? 'no description'}]`, { italic: true })];
}

function inputLines(block: unknown, width: number, ctx: Ctx, values: Readonly<Record<string, string>>): Line[] {
  const label = textObject(field(block, 'label'))?.text ?? '';
  const optional = field(block, 'optional') === true;
  const blockId = stringField(block, 'block_id');
  const element = field(block, 'element');
  const typed = blockId === undefined ? undefined : values[blockId];
  const shown: Run[] =
    typed !== undefined
      ? [run(typed, { underline: true })]
      : stringField(element, 'type') === 'plain_text_input'
        ? [run(stringField(element, 'initial_value') ?? INPUT_BLANK.slice(0, Math.max(8, width / 3)))]
        : elementRuns(element, ctx);
  const head: Run[] = [run(replaceEmojiCodes(label), { bold: true })];
  if (optional) head.push(run(' (optional)', { dim: true }));
  const lines = wrapRuns([...head, run(': '), ...shown], width);
  const hint = textObject(field(block, 'hint'));
  if (hint) lines.push(...wrapRuns([run('  '), ...restyle(textRuns(hint, ctx), { dim: true })], width));
  return lines;
}

function tableLines(block: unknown, width: number): Line[] {
  const rows = arrayField(block, 'rows').map((row) =>
    (Array.isArray(row) ? row : []).map((cell) =>
      stringField(cell, 'type') === 'rich_text' ? richTextPlain(cell) : (stringField(cell, 'text') ?? ''),
    ),
  );
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const settings = arrayField(block, 'column_settings');
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...rows.map((row) => lineWidth([run(row[column] ?? '')]))),
  );
  const lines = rows.map((row, index) => {
    const cells = widths.map((cellWidth, column) => {
      const text = row[column] ?? '';
      const pad = ' '.repeat(Math.max(0, cellWidth - lineWidth([run(text)])));
      const right = stringField(settings[column], 'align') === 'right';
      return run(right ? pad + text : text + pad, index === 0 ? { bold: true } : {});
    });
    return joinRuns(
      cells.map((cell) => [cell]),
      [run('  ')],
    );
  });
  // Too wide for the terminal: let the wrapper fold the rows rather than cut them.
  return lines.flatMap((line) => (lineWidth(line) > width ? wrapRuns(line, width) : [line]));
}

function richTextPlain(node: unknown): string {
  if (typeof node === 'string') return node;
  const text = stringField(node, 'text');
  if (text !== undefined && stringField(node, 'type') === 'text') return text;
  if (stringField(node, 'type') === 'emoji') return replaceEmojiCodes(`:${stringField(node, 'name') ?? ''}:`);
  return arrayField(node, 'elements').map(richTextPlain).join('');
}

// --- elements -------------------------------------------------------------------------------------------------------

function elementRuns(element: unknown, ctx: Ctx): Run[] {
  const type = stringField(element, 'type');
  const label = (key: string) => replaceEmojiCodes(textObject(field(element, key))?.text ?? '');
  switch (type) {
    case 'button':
      return buttonRuns(label('text'), stringField(element, 'style') ?? '', ctx);
    case 'image':
      return imageRuns(element);
    case 'overflow':
      return buttonRuns('⋯', '', ctx);
    case 'datepicker':
    case 'timepicker':
    case 'datetimepicker': {
      const initial = stringField(element, 'initial_date') ?? stringField(element, 'initial_time');
      return buttonRuns(initial ?? (label('placeholder') || 'Pick a date'), '', ctx);
    }
    case 'plain_text_input':
      return [run(stringField(element, 'initial_value') ?? INPUT_BLANK)];
    case 'checkboxes':
    case 'radio_buttons': {
      const mark = type === 'checkboxes' ? '☐' : '◯';
      const options = arrayField(element, 'options').map((option) => [
        run(`${mark} ${textObject(field(option, 'text'))?.text ?? ''}`),
      ]);
      return joinRuns(options, [run('  ')]);
    }
    default:
      if (type?.endsWith('_select')) {
        const chosen = textObject(field(field(element, 'initial_option'), 'text'))?.text;
        return buttonRuns(`${chosen ?? (label('placeholder') || 'Choose')} ▾`, '', ctx);
      }
      return [run(`[${type ?? 'element'}]`, { dim: true })];
  }
}

function buttonRuns(label: string, style: string, ctx: Ctx): Run[] {
  const color = style === 'primary' ? 'green' : style === 'danger' ? 'red' : undefined;
  const look: Style = ctx.color ? { bold: true, ...(color ? { color } : {}) } : {};
  return [run(`[${label}]`, look)];
}

/** Buttons one after another, two spaces apart, starting a new line when the next one would not fit. */
function packRuns(items: Run[][], width: number): Line[] {
  const lines: Line[] = [];
  let current: Line = [];
  for (const item of items) {
    if (current.length > 0 && lineWidth(current) + 2 + lineWidth(item) > width) {
      lines.push(current);
      current = [];
    }
    if (current.length > 0) current.push(run('  '));
    current.push(...item);
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

function padLeft(runs: Run[], width: number): Line {
  return [run(' '.repeat(Math.max(0, width - lineWidth(runs)))), ...runs];
}

function joinRuns(parts: Run[][], separator: Run[]): Run[] {
  return parts.flatMap((part, index) => (index === 0 ? part : [...separator, ...part]));
}

// --- text -----------------------------------------------------------------------------------------------------------

function textRuns(text: { type: 'plain_text' | 'mrkdwn'; text: string } | undefined, ctx: Ctx): Run[] {
  if (!text) return [];
  return text.type === 'mrkdwn' ? mrkdwnRuns(text.text, ctx) : [run(replaceEmojiCodes(text.text))];
}

function mrkdwnRuns(source: string, ctx: Ctx, style: Style = {}): Run[] {
  return inlineRuns(parseMrkdwn(source), ctx, style);
}

function inlineRuns(nodes: readonly Inline[], ctx: Ctx, style: Style): Run[] {
  const mention: Style = ctx.color ? { ...style, bold: true, color: 'blue' } : style;
  return nodes.flatMap((node): Run[] => {
    switch (node.kind) {
      case 'text':
        return [run(node.text, style)];
      case 'bold':
        return inlineRuns(node.children, ctx, { ...style, bold: true });
      case 'italic':
        return inlineRuns(node.children, ctx, { ...style, italic: true });
      case 'strike':
        return inlineRuns(node.children, ctx, { ...style, strike: true });
      case 'code':
        // Without colour the backticks are the only sign of code; with colour the colour is.
        return ctx.color ? [run(node.text, { ...style, color: 'cyan' })] : [run(`\`${node.text}\``, style)];
      case 'preformatted':
        return [run(`\n${node.text.replace(/^\n|\n$/g, '')}\n`, ctx.color ? { ...style, color: 'cyan' } : style)];
      case 'link':
        return linkRuns(node, ctx, style);
      case 'user':
        return [run(userLabel(node, ctx.names), mention)];
      case 'channel':
        return [run(channelLabel(node, ctx.names), mention)];
      case 'special':
        return [run(node.text, mention)];
    }
    return [];
  });
}

function linkRuns(node: { url: string; label?: string }, ctx: Ctx, style: Style): Run[] {
  const look: Style = ctx.color ? { ...style, underline: true, color: 'blue' } : style;
  const label = node.label ?? node.url;
  // A label that is the address itself (or the mail address of a mailto:) needs no second copy.
  const sameAsUrl = label === node.url || `mailto:${label}` === node.url;
  return sameAsUrl ? [run(label, look)] : [run(label, look), run(` (${node.url})`, { ...style, dim: true })];
}
