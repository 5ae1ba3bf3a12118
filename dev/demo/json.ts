/** Readers for Block Kit JSON of unknown shape: a renderer must show what it can, never throw on odd input. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

export function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

export function arrayField(value: unknown, key: string): unknown[] {
  const found = field(value, key);
  return Array.isArray(found) ? found : [];
}

/** A text object (`{ type: 'plain_text' | 'mrkdwn', text }`), or undefined when `value` is not one. */
export function textObject(value: unknown): { type: 'plain_text' | 'mrkdwn'; text: string } | undefined {
  const text = stringField(value, 'text');
  if (text === undefined) return undefined;
  return { type: stringField(value, 'type') === 'mrkdwn' ? 'mrkdwn' : 'plain_text', text };
}

/** Every `text` string in a payload (fallback text, sections, fields, context, buttons), one per line. */
export function allText(value: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'text' && typeof child === 'string') parts.push(child);
      else visit(child);
    }
  };
  visit(value);
  return parts.join('\n');
}

export interface FoundButton {
  actionId: string;
  value: string;
  label: string;
  /** The mrkdwn of the section the button sits in, when it is a section's accessory. */
  rowText?: string;
}

/** Buttons in a payload's blocks: in actions blocks and as section accessories. */
export function buttonsIn(payload: unknown): FoundButton[] {
  const found: FoundButton[] = [];
  const add = (element: unknown, rowText?: string) => {
    const actionId = stringField(element, 'action_id');
    if (stringField(element, 'type') !== 'button' || actionId === undefined) return;
    const label = textObject(field(element, 'text'))?.text ?? '';
    found.push({ actionId, value: stringField(element, 'value') ?? '', label, ...(rowText ? { rowText } : {}) });
  };
  for (const block of arrayField(payload, 'blocks')) {
    for (const element of arrayField(block, 'elements')) add(element);
    add(field(block, 'accessory'), textObject(field(block, 'text'))?.text);
  }
  return found;
}
