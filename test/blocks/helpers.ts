/** Assertions shared by the renderer tests. */
import { assertWithinLimits, limitViolations } from '../../src/blocks/limits';
import type { ModalView, SlackMessage } from '../../src/blocks/message';

/** Slack would accept it, and the fallback text can stand on its own. */
export function expectValid(message: SlackMessage): void {
  expect(limitViolations(message)).toEqual([]);
  assertWithinLimits(message);
  expect(message.text.trim().length).toBeGreaterThan(20);
  expect(message.blocks.length).toBeGreaterThan(0);
}

export function expectValidView(view: ModalView): void {
  expect(limitViolations(view)).toEqual([]);
  assertWithinLimits(view);
}

/** Every piece of text in the blocks (mrkdwn, plain text, button labels), one per line, for `toContain` checks. */
export function blockText(message: { blocks: readonly unknown[] }): string {
  const texts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.text === 'string') texts.push(record.text);
      for (const [key, value] of Object.entries(record)) if (key !== 'text' || typeof value !== 'string') visit(value);
    }
  };
  visit(message.blocks);
  return texts.join('\n');
}

/** Blocks of one type. */
export function blocksOfType(message: { blocks: readonly unknown[] }, type: string): Record<string, unknown>[] {
  return (message.blocks as Record<string, unknown>[]).filter((block) => block.type === type);
}

/** Every button anywhere in the blocks. */
export function buttons(message: { blocks: readonly unknown[] }): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const block of message.blocks as Record<string, unknown>[]) {
    const accessory = block.accessory as Record<string, unknown> | undefined;
    if (accessory?.type === 'button') found.push(accessory);
    for (const element of (block.elements as Record<string, unknown>[] | undefined) ?? []) {
      if (element.type === 'button') found.push(element);
    }
  }
  return found;
}
