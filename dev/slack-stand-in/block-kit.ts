/**
 * The Block Kit limits Slack enforces most often, checked so that a block builder that overflows fails in tests the
 * way it would fail in Slack instead of passing silently. Not a full schema: unknown block types pass.
 * Messages are shaped like Slack's `response_metadata.messages`: `[ERROR] <what> [json-pointer:<where>]`.
 */

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

type Json = Record<string, unknown>;

export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  if (!Array.isArray(blocks)) return [problem('must be an array', pointer)];
  const problems: string[] = [];
  if (blocks.length > MAX_BLOCKS[surface]) {
    problems.push(problem(`no more than ${MAX_BLOCKS[surface]} items allowed`, pointer));
  }
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `${pointer}/${index}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      problems.push(problem('must be an object with a type', at));
      return;
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length > 255) {
        problems.push(problem('must be a string of at most 255 characters', `${at}/block_id`));
      } else if (blockIds.has(block.block_id)) {
        problems.push(problem(`duplicate block_id ${block.block_id}`, `${at}/block_id`));
      } else {
        blockIds.add(block.block_id);
      }
    }
    problems.push(...validateBlock(block, at));
  });
  return problems;
}

/** Modal and Home views: the view-level limits plus their blocks. */
export function validateView(view: unknown, expected: 'modal' | 'home' | 'any'): string[] {
  if (!isObject(view)) return [problem('must be an object', '/view')];
  const problems: string[] = [];
  const type = view.type;
  if (type !== 'modal' && type !== 'home') return [problem('type must be modal or home', '/view/type')];
  if (expected !== 'any' && type !== expected) problems.push(problem(`type must be ${expected}`, '/view/type'));
  if (type === 'modal') {
    problems.push(...plainText(view.title, 24, '/view/title', true));
    problems.push(...plainText(view.submit, 24, '/view/submit', false));
    problems.push(...plainText(view.close, 24, '/view/close', false));
    const hasInput =
      Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
    if (hasInput && view.submit === undefined) problems.push(problem('submit is required with input blocks', '/view'));
  }
  problems.push(...maxString(view.private_metadata, 3000, '/view/private_metadata'));
  problems.push(...maxString(view.callback_id, 255, '/view/callback_id'));
  problems.push(...maxString(view.external_id, 255, '/view/external_id'));
  problems.push(...validateBlocks(view.blocks, type, '/view/blocks'));
  return problems;
}

function validateBlock(block: Json, at: string): string[] {
  switch (block.type) {
    case 'header':
      return plainText(block.text, 150, `${at}/text`, true);
    case 'section':
      return validateSection(block, at);
    case 'context':
      return maxItems(block.elements, 10, `${at}/elements`);
    case 'actions':
      return validateActions(block, at);
    case 'table':
      return validateTable(block, at);
    default:
      return [];
  }
}

function validateSection(block: Json, at: string): string[] {
  const problems: string[] = [];
  if (block.text === undefined && block.fields === undefined) {
    problems.push(problem('must provide text or fields', at));
  }
  if (block.text !== undefined) problems.push(...textObject(block.text, 3000, `${at}/text`));
  if (block.fields !== undefined) {
    problems.push(...maxItems(block.fields, 10, `${at}/fields`));
    if (Array.isArray(block.fields)) {
      block.fields.forEach((field, i) => {
        problems.push(...textObject(field, 2000, `${at}/fields/${i}`));
      });
    }
  }
  if (isObject(block.accessory)) problems.push(...validateElement(block.accessory, `${at}/accessory`));
  return problems;
}

function validateActions(block: Json, at: string): string[] {
  const problems = maxItems(block.elements, 25, `${at}/elements`);
  if (!Array.isArray(block.elements)) return problems;
  const actionIds = new Set<string>();
  block.elements.forEach((element, i) => {
    const where = `${at}/elements/${i}`;
    if (!isObject(element)) {
      problems.push(problem('must be an object', where));
      return;
    }
    if (typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) problems.push(problem('duplicate action_id', `${where}/action_id`));
      actionIds.add(element.action_id);
    }
    problems.push(...validateElement(element, where));
  });
  return problems;
}

function validateElement(element: Json, at: string): string[] {
  const problems = maxString(element.action_id, 255, `${at}/action_id`);
  if (element.type === 'button') {
    problems.push(...plainText(element.text, 75, `${at}/text`, true));
    problems.push(...maxString(element.value, 2000, `${at}/value`));
    problems.push(...maxString(element.url, 3000, `${at}/url`));
  }
  return problems;
}

function validateTable(block: Json, at: string): string[] {
  const problems = maxItems(block.rows, 100, `${at}/rows`);
  if (Array.isArray(block.rows)) {
    block.rows.forEach((row, i) => {
      problems.push(...maxItems(row, 20, `${at}/rows/${i}`));
    });
  }
  return problems;
}

function textObject(value: unknown, max: number, at: string): string[] {
  if (!isObject(value) || (value.type !== 'plain_text' && value.type !== 'mrkdwn')) {
    return [problem('must be a plain_text or mrkdwn text object', at)];
  }
  return textLength(value.text, max, `${at}/text`);
}

function plainText(value: unknown, max: number, at: string, required: boolean): string[] {
  if (value === undefined) return required ? [problem('is required', at)] : [];
  if (!isObject(value) || value.type !== 'plain_text') return [problem('must be a plain_text text object', at)];
  return textLength(value.text, max, `${at}/text`);
}

function textLength(text: unknown, max: number, at: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [problem('must be more than 0 characters', at)];
  return text.length > max ? [problem(`must be less than ${max + 1} characters`, at)] : [];
}

function maxString(value: unknown, max: number, at: string): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [problem('must be a string', at)];
  return value.length > max ? [problem(`must be less than ${max + 1} characters`, at)] : [];
}

function maxItems(value: unknown, max: number, at: string): string[] {
  if (!Array.isArray(value)) return [problem('must be an array', at)];
  return value.length > max ? [problem(`no more than ${max} items allowed`, at)] : [];
}

function problem(what: string, pointer: string): string {
  return `[ERROR] ${what} [json-pointer:${pointer}]`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
