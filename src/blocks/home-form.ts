/**
 * Inputs of the Home tab's forms, and reading them back from a submission. Slack sends each input's
 * value in a shape of its own (`value`, `selected_conversation`, `selected_users`…); every reader
 * here takes the untrusted payload and returns plain values, empty when the input is missing.
 */
import type { types } from '@slack/bolt';
import type { FormInput } from './ids';
import { SLACK_LIMITS, trimText } from './limits';
import type { KnownBlock } from './message';

export type InputElement = types.InputBlock['element'];

export interface InputSpec {
  input: FormInput;
  label: string;
  element: InputElement;
  hint?: string;
  optional?: boolean;
}

/** An input block; the element's action ID is set from `input`, so readers and renderers agree. */
export function inputBlock(spec: InputSpec): KnownBlock {
  const block: types.InputBlock = {
    type: 'input',
    block_id: spec.input.block,
    label: { type: 'plain_text', text: trimText(spec.label, SLACK_LIMITS.inputLabel, 'plain') },
    element: { ...spec.element, action_id: spec.input.action } as InputElement,
    optional: spec.optional === true,
  };
  if (spec.hint) block.hint = { type: 'plain_text', text: trimText(spec.hint, SLACK_LIMITS.inputHint, 'plain') };
  return block;
}

export function plainText(text: string, max: number = SLACK_LIMITS.placeholder): types.PlainTextElement {
  return { type: 'plain_text', text: trimText(text, max, 'plain') };
}

/** `view.state.values` as Slack sends it: `{ [block_id]: { [action_id]: { type, …value } } }`. */
export type SubmittedValues = Record<string, Record<string, unknown> | undefined>;

function field(values: SubmittedValues, input: FormInput): Record<string, unknown> | undefined {
  const value = values[input.block]?.[input.action];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.flatMap((item) => stringOf(item) ?? []) : [];
}

/** A plain_text_input's trimmed value; empty when left blank. */
export function readText(values: SubmittedValues, input: FormInput): string {
  return stringOf(field(values, input)?.value) ?? '';
}

export function readConversation(values: SubmittedValues, input: FormInput): string | undefined {
  return stringOf(field(values, input)?.selected_conversation);
}

export function readConversations(values: SubmittedValues, input: FormInput): string[] {
  return stringsOf(field(values, input)?.selected_conversations);
}

export function readUsers(values: SubmittedValues, input: FormInput): string[] {
  return stringsOf(field(values, input)?.selected_users);
}

/** A timepicker's `HH:mm`. */
export function readTime(values: SubmittedValues, input: FormInput): string | undefined {
  return stringOf(field(values, input)?.selected_time);
}

/** The value of a static_select's chosen option. */
export function readOption(values: SubmittedValues, input: FormInput): string | undefined {
  const option = field(values, input)?.selected_option;
  return typeof option === 'object' && option !== null ? stringOf((option as { value?: unknown }).value) : undefined;
}

/** The values of the ticked checkboxes. */
export function readChecked(values: SubmittedValues, input: FormInput): string[] {
  const options = field(values, input)?.selected_options;
  if (!Array.isArray(options)) return [];
  return options.flatMap((option) =>
    typeof option === 'object' && option !== null ? (stringOf((option as { value?: unknown }).value) ?? []) : [],
  );
}

/**
 * Inline errors for `ack({ response_action: 'errors', errors })`, keyed by the inputs' block IDs.
 * Slack shows them as plain text, so code marks are dropped.
 */
export function formErrors<Field extends string>(
  form: Readonly<Record<Field, FormInput>>,
  problems: Partial<Record<Field, string>>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const name of Object.keys(form) as Field[]) {
    const problem = problems[name]?.replace(/`/g, '').trim();
    if (problem) errors[form[name].block] = trimText(problem, SLACK_LIMITS.inputHint, 'plain');
  }
  return errors;
}

/**
 * A channel check's sentence (plain text around a `{channel}` placeholder) for an inline error,
 * where Slack shows no channel link: the channel picked is the one just above.
 */
export function channelProblemText(problem: string): string {
  const text = problem.split('{channel}').join('that channel');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
