/**
 * Slack's Block Kit limits and the helpers that keep every rendered message inside them whatever the
 * data size. Slack rejects a whole message (`invalid_blocks`) when one limit is broken, so the
 * renderers cut early and `assertWithinLimits` proves it in tests.
 */
import type { KnownBlock, ModalView, SlackMessage } from './message';

export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  actionId: 255,
  blockId: 255,
  fallbackText: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  modalTitle: 24,
  modalButton: 24,
  callbackId: 255,
  privateMetadata: 3000,
} as const;

const ELLIPSIS = '…';

/**
 * Shortens text to at most `max` characters, ending in "…", without splitting a surrogate pair. In
 * mrkdwn it also never cuts inside an entity such as `&amp;` or a `<url|label>` link or mention,
 * either of which would show as garbage.
 */
export function trimText(text: string, max: number, kind: 'mrkdwn' | 'plain' = 'mrkdwn'): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - ELLIPSIS.length);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  if (kind === 'mrkdwn') {
    const head = text.slice(0, cut);
    const openLink = head.lastIndexOf('<');
    if (openLink >= 0 && head.indexOf('>', openLink) === -1) cut = openLink;
    const entity = /&[a-z]{0,4}$/.exec(text.slice(0, cut));
    if (entity) cut = entity.index;
  }
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * Joins lines with newlines within `limit.chars` characters and `limit.lines` lines. Lines that do
 * not fit are replaced by one last line from `more(hiddenCount)`, so the reader knows something was
 * left out. Lines are kept from the start, so the hidden ones are always the last `hiddenCount`.
 */
export function joinLinesWithin(
  lines: readonly string[],
  limit: { chars: number; lines?: number },
  more: (hidden: number) => string,
): string {
  const maxLines = Math.max(1, limit.lines ?? Number.POSITIVE_INFINITY);
  const whole = lines.join('\n');
  if (lines.length <= maxLines && whole.length <= limit.chars) return whole;
  // Room for the longest "more" line (its count has the most digits when everything is hidden).
  const reserve = more(lines.length).length + 1;
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (kept.length > 0 ? 1 : 0) + line.length;
    if (kept.length >= maxLines - 1 || length + added + reserve > limit.chars) break;
    kept.push(line);
    length += added;
  }
  return trimText([...kept, more(lines.length - kept.length)].join('\n'), limit.chars);
}

/**
 * The first items that fit in `room` slots. When some must go, one slot is kept free for the
 * caller's "…and N more" line, so `shown.length + (hidden > 0 ? 1 : 0) <= room`.
 */
export function takeWithin<T>(items: readonly T[], room: number): { shown: T[]; hidden: number } {
  const slots = Math.max(0, room);
  if (items.length <= slots) return { shown: [...items], hidden: 0 };
  const shown = items.slice(0, Math.max(0, slots - 1));
  return { shown, hidden: items.length - shown.length };
}

/** The context line that stands in for cut items. */
export function moreLine(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: trimText(text, SLACK_LIMITS.contextText) }] };
}

/**
 * Last line of defence: a message with too many blocks keeps its first ones and says how many were
 * left out. Renderers budget their blocks so this should never cut anything.
 */
export function capBlocks(blocks: readonly KnownBlock[], max: number = SLACK_LIMITS.messageBlocks): KnownBlock[] {
  if (blocks.length <= max) return [...blocks];
  const kept = blocks.slice(0, max - 1);
  return [...kept, moreLine(`…and ${blocks.length - kept.length} more blocks not shown.`)];
}

/** A message whose fallback text and block count are within Slack's limits. */
export function toMessage(text: string, blocks: readonly KnownBlock[]): SlackMessage {
  return { text: trimText(text, SLACK_LIMITS.fallbackText), blocks: capBlocks(blocks) };
}

// ---- checking ----

type Surface = SlackMessage | ModalView;

interface TextLike {
  type?: unknown;
  text?: unknown;
}

/**
 * Matches the control sequences Slack gives meaning to inside `<…>`: user/channel mentions, special
 * mentions, dates and links. Anything else between angle brackets means text was not escaped.
 */
const CONTROL_SEQUENCE =
  /^(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+(?:\|[^<>]*)?|!(?:here|channel|everyone|date\^[^<>]+|subteam\^[A-Z0-9]+)|(?:https?:\/\/|mailto:)[^\s<>|]+(?:\|[^<>]*)?)$/;

function mrkdwnProblems(text: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(/&[^;\s]*;?/g)) {
    if (!/^&(?:amp|lt|gt);$/.test(match[0])) problems.push(`unescaped "&" near "${match[0]}"`);
  }
  const outsideLinks = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    if (!CONTROL_SEQUENCE.test(inner)) problems.push(`"<${inner}>" is not a Slack link or mention`);
    return '';
  });
  if (/[<>]/.test(outsideLinks)) problems.push('unescaped "<" or ">"');
  return problems;
}

function checkText(value: unknown, max: number, where: string, problems: string[], required = true): void {
  if (value === undefined && !required) return;
  const object = value as TextLike | undefined;
  if (!object || typeof object.text !== 'string') {
    problems.push(`${where}: missing text`);
    return;
  }
  if (object.text.trim().length === 0) problems.push(`${where}: empty text`);
  if (object.text.length > max) problems.push(`${where}: ${object.text.length} chars > ${max}`);
  if (object.type === 'mrkdwn')
    for (const problem of mrkdwnProblems(object.text)) problems.push(`${where}: ${problem}`);
}

function checkLength(value: unknown, max: number, where: string, problems: string[]): void {
  if (typeof value === 'string' && value.length > max) problems.push(`${where}: ${value.length} chars > ${max}`);
}

function checkElement(element: Record<string, unknown>, where: string, problems: string[]): void {
  checkLength(element.action_id, SLACK_LIMITS.actionId, `${where}.action_id`, problems);
  if (element.type === 'button') {
    checkText(element.text, SLACK_LIMITS.buttonText, `${where}.text`, problems);
    checkLength(element.value, SLACK_LIMITS.buttonValue, `${where}.value`, problems);
    checkLength(element.url, SLACK_LIMITS.buttonUrl, `${where}.url`, problems);
    checkLength(element.accessibility_label, SLACK_LIMITS.accessibilityLabel, `${where}.accessibility_label`, problems);
  }
  if (element.type === 'plain_text_input') {
    checkText(element.placeholder, SLACK_LIMITS.placeholder, `${where}.placeholder`, problems, false);
  }
}

function checkBlock(block: Record<string, unknown>, where: string, problems: string[]): void {
  switch (block.type) {
    case 'header':
      checkText(block.text, SLACK_LIMITS.headerText, `${where}.text`, problems);
      break;
    case 'section': {
      const fields = block.fields as unknown[] | undefined;
      if (block.text === undefined && fields === undefined) problems.push(`${where}: section needs text or fields`);
      checkText(block.text, SLACK_LIMITS.sectionText, `${where}.text`, problems, false);
      if (fields !== undefined) {
        if (fields.length === 0 || fields.length > SLACK_LIMITS.sectionFields)
          problems.push(`${where}: ${fields.length} fields (1–${SLACK_LIMITS.sectionFields})`);
        fields.forEach((field, index) => {
          checkText(field, SLACK_LIMITS.fieldText, `${where}.fields[${index}]`, problems);
        });
      }
      if (block.accessory) checkElement(block.accessory as Record<string, unknown>, `${where}.accessory`, problems);
      break;
    }
    case 'context': {
      const elements = (block.elements as unknown[] | undefined) ?? [];
      if (elements.length === 0 || elements.length > SLACK_LIMITS.contextElements)
        problems.push(`${where}: ${elements.length} context elements (1–${SLACK_LIMITS.contextElements})`);
      elements.forEach((element, index) => {
        checkText(element, SLACK_LIMITS.contextText, `${where}.elements[${index}]`, problems);
      });
      break;
    }
    case 'actions': {
      const elements = (block.elements as Record<string, unknown>[] | undefined) ?? [];
      if (elements.length === 0 || elements.length > SLACK_LIMITS.actionsElements)
        problems.push(`${where}: ${elements.length} actions (1–${SLACK_LIMITS.actionsElements})`);
      const actionIds = elements.map((element) => element.action_id);
      if (new Set(actionIds).size !== actionIds.length) problems.push(`${where}: action_id repeated within the block`);
      elements.forEach((element, index) => {
        checkElement(element, `${where}.elements[${index}]`, problems);
      });
      break;
    }
    case 'input':
      checkText(block.label, SLACK_LIMITS.inputLabel, `${where}.label`, problems);
      checkText(block.hint, SLACK_LIMITS.inputHint, `${where}.hint`, problems, false);
      checkElement(block.element as Record<string, unknown>, `${where}.element`, problems);
      break;
    case 'divider':
      break;
    default:
      problems.push(`${where}: block type "${String(block.type)}" is not checked here`);
  }
}

function isView(surface: Surface): surface is ModalView {
  return (surface as ModalView).type === 'modal';
}

/** Every Slack limit (and escaping rule) the message or modal breaks; empty when Slack will accept it. */
export function limitViolations(surface: Surface): string[] {
  const problems: string[] = [];
  const blocks = surface.blocks as unknown as Record<string, unknown>[];
  const maxBlocks = isView(surface) ? SLACK_LIMITS.viewBlocks : SLACK_LIMITS.messageBlocks;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);

  if (isView(surface)) {
    checkText(surface.title, SLACK_LIMITS.modalTitle, 'title', problems);
    checkText(surface.submit, SLACK_LIMITS.modalButton, 'submit', problems, false);
    checkText(surface.close, SLACK_LIMITS.modalButton, 'close', problems, false);
    checkLength(surface.private_metadata, SLACK_LIMITS.privateMetadata, 'private_metadata', problems);
    checkLength(surface.callback_id, SLACK_LIMITS.callbackId, 'callback_id', problems);
    if (blocks.some((block) => block.type === 'input') && !surface.submit) problems.push('inputs without a submit');
  } else {
    checkText({ type: 'mrkdwn', text: surface.text }, SLACK_LIMITS.fallbackText, 'text', problems);
  }

  const blockIds = new Set<unknown>();
  blocks.forEach((block, index) => {
    const where = `blocks[${index}]`;
    if (block.block_id !== undefined) {
      checkLength(block.block_id, SLACK_LIMITS.blockId, `${where}.block_id`, problems);
      if (blockIds.has(block.block_id)) problems.push(`${where}: block_id repeated`);
      blockIds.add(block.block_id);
    }
    checkBlock(block, where, problems);
  });
  return problems;
}

/** Throws, listing every broken limit, unless Slack will accept the message or modal as it is. */
export function assertWithinLimits(surface: Surface): void {
  const problems = limitViolations(surface);
  if (problems.length > 0) throw new Error(`Slack limits broken:\n- ${problems.join('\n- ')}`);
}
