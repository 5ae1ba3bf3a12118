/**
 * Shared helpers for the end-to-end tests: one local stack per test file (Viam emulator, Slack
 * stand-in, the real app in HTTP mode on loopback), reset between tests, and readers for what the
 * app answered.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import type { EmulatorMethod } from '../../dev/emulator';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../dev/local-stack';
import { SEED } from '../../dev/slack-stand-in';
import { CONNECT_ACTIONS, CONNECT_BLOCKS } from '../../src/blocks/ids';

export { SEED, status };

export const USERS = SEED.users;

/**
 * The instant every shared stack lives at (app and emulator): the demo org's latest invoice, dated
 * Nov 1 and due Nov 16, is then overdue whatever day the tests run.
 */
export const FIXED_NOW = new Date('2026-11-26T15:00:00Z');
export const CHANNELS = SEED.channels;

/**
 * Starts one stack for the whole file and hands it to the tests through `get()`. Before each test the
 * emulator's knobs and the stand-in's records and faults are cleared, and `reset` (if given) runs.
 */
export function useLocalStack(
  options: LocalStackOptions = {},
  hooks: { reset?: (stack: LocalStack) => Promise<void> } = {},
): () => LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    const now = options.now ?? (() => FIXED_NOW);
    stack = await startLocalStack({ ...options, now, emulator: { now, ...options.emulator } });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async () => {
    if (!stack) throw new Error('the local stack did not start');
    stack.emulator.knobs.reset();
    stack.slack.clearFaults();
    stack.slack.resetRecords();
    await hooks.reset?.(stack);
  });
  return () => {
    if (!stack) throw new Error('the local stack did not start');
    return stack;
  };
}

/** Every piece of text a message shows: the fallback, section texts and fields, context, headers, buttons. */
export function messageText(body: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text' && typeof value === 'string') parts.push(value);
      else visit(value);
    }
  };
  visit(body);
  return parts.join('\n');
}

/** The blocks' text only (not the fallback), to check that blocks and fallback both carry the news. */
export function blocksText(body: { blocks?: unknown[] }): string {
  return messageText(body.blocks ?? []);
}

/** Buttons in a message, with their action id and decoded value. */
export function buttonsOf(body: { blocks?: unknown[] }): { actionId: string; text: string; value?: string }[] {
  const found: { actionId: string; text: string; value?: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const element = node as { type?: unknown; action_id?: unknown; text?: { text?: unknown }; value?: unknown };
    if (element.type === 'button' && typeof element.action_id === 'string') {
      found.push({
        actionId: element.action_id,
        text: typeof element.text?.text === 'string' ? element.text.text : '',
        value: typeof element.value === 'string' ? element.value : undefined,
      });
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(body.blocks ?? []);
  return found;
}

export interface ConnectInput {
  orgId: string;
  apiKeyId: string;
  apiKey: string;
  label?: string;
}

/** `view.state.values` of a filled-in connect modal, as Slack sends it on submit. */
export function connectValues(input: ConnectInput): Record<string, Record<string, unknown>> {
  const field = (value: string | undefined) => ({ type: 'plain_text_input', value: value ?? null });
  return {
    [CONNECT_BLOCKS.orgId]: { [CONNECT_ACTIONS.orgId]: field(input.orgId) },
    [CONNECT_BLOCKS.apiKeyId]: { [CONNECT_ACTIONS.apiKeyId]: field(input.apiKeyId) },
    [CONNECT_BLOCKS.apiKey]: { [CONNECT_ACTIONS.apiKey]: field(input.apiKey) },
    [CONNECT_BLOCKS.label]: { [CONNECT_ACTIONS.label]: field(input.label) },
  };
}

/** The JSON Bolt acked a view submission with (`{}` when it acked bare). */
export function ackJson(body: string): Record<string, unknown> {
  return body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
}

/** Total calls the emulator received across the methods given. */
export function viamCalls(stack: LocalStack, methods: EmulatorMethod[]): number {
  return methods.reduce((sum, method) => sum + stack.emulator.knobs.callCount(method), 0);
}

export const BILLING_READS: EmulatorMethod[] = [
  'Authenticate',
  'GetCurrentMonthUsage',
  'GetOrgBillingInformation',
  'GetInvoicesSummary',
  'GetInvoicePdf',
];

/** The workspace record as the app's store has it. */
export function workspaceOf(stack: LocalStack) {
  return stack.app.services.store.workspaces.get({ teamId: SEED.team.id });
}

/**
 * After the emulator was stopped and started again, waits until the app's own gRPC channel reaches
 * it again (grpc-js backs off between reconnects, so this takes a few seconds after an outage), and
 * returns how long that took. Polls with the app's billing client, so nothing else is counted.
 */
export async function waitUntilViamAnswers(stack: LocalStack, timeoutMs = 10_000): Promise<number> {
  const org = stack.emulator.orgs[0];
  if (!org) throw new Error('the emulator fixture has no org');
  const key = { id: org.apiKeyId, key: org.apiKey };
  const started = performance.now();
  for (;;) {
    try {
      await stack.app.services.billing.getOrgBillingInformation(key, org.orgId);
      return performance.now() - started;
    } catch (error) {
      if (performance.now() - started > timeoutMs) throw error;
      await delay(100);
    }
  }
}

/** Log lines captured from the app, parsed. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly destination = {
    write: (line: string) => {
      this.lines.push(line);
      return true;
    },
  };

  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  find(message: string): Record<string, unknown>[] {
    return this.entries().filter((entry) => entry.msg === message);
  }
}
