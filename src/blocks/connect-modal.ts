/**
 * The `connect` modal: org ID, API key ID, API key and an optional label. Slack has no password
 * input, so the key is a plain text input; the hint tells the person it is stored encrypted.
 */
import type { types } from '@slack/bolt';
import { context, section } from './build';
import { inlineCode } from './format';
import { CONNECT_ACTIONS, CONNECT_BLOCKS, type ConnectField, VIEW_CONNECT_ORG } from './ids';
import { SLACK_LIMITS, trimText } from './limits';
import type { KnownBlock, ModalView } from './message';

export interface ConnectModalOptions {
  /** Caller's JSON (channel ID and the like), handed back untouched in the submission; at most 3000 chars. */
  privateMetadata: string;
  /** Values to show again after a failed attempt. The API key is never filled in again. */
  initial?: { orgId?: string; apiKeyId?: string; label?: string };
}

export interface ConnectFormValues {
  orgId: string;
  apiKeyId: string;
  apiKey: string;
  /** Undefined when left empty. */
  label?: string;
}

interface InputSpec {
  field: ConnectField;
  label: string;
  placeholder: string;
  hint?: string;
  optional?: boolean;
  initial?: string;
  maxLength: number;
}

function textInput(spec: InputSpec): KnownBlock {
  const element: types.PlainTextInput = {
    type: 'plain_text_input',
    action_id: CONNECT_ACTIONS[spec.field],
    placeholder: { type: 'plain_text', text: trimText(spec.placeholder, SLACK_LIMITS.placeholder, 'plain') },
    max_length: spec.maxLength,
  };
  if (spec.initial) element.initial_value = spec.initial;
  const block: types.InputBlock = {
    type: 'input',
    block_id: CONNECT_BLOCKS[spec.field],
    label: { type: 'plain_text', text: spec.label },
    element,
    optional: spec.optional === true,
  };
  if (spec.hint) block.hint = { type: 'plain_text', text: spec.hint };
  return block;
}

export function connectModal(options: ConnectModalOptions): ModalView {
  if (options.privateMetadata.length > SLACK_LIMITS.privateMetadata) {
    // The caller's data is not quoted: it may hold anything.
    throw new RangeError(`private_metadata is longer than ${SLACK_LIMITS.privateMetadata} characters`);
  }
  const initial = options.initial ?? {};
  return {
    type: 'modal',
    callback_id: VIEW_CONNECT_ORG,
    private_metadata: options.privateMetadata,
    title: { type: 'plain_text', text: 'Connect a Viam org' },
    submit: { type: 'plain_text', text: 'Connect' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section('Billing needs an API key with the *Organization owner* role on the org you connect.'),
      textInput({
        field: 'orgId',
        label: 'Organization ID',
        placeholder: 'e.g. a1b2c3d4-e5f6-7890-abcd-ef1234567890',
        hint: 'In the Viam app: your organization’s Settings page.',
        initial: initial.orgId,
        maxLength: 100,
      }),
      textInput({
        field: 'apiKeyId',
        label: 'API key ID',
        placeholder: 'The ID shown next to the key',
        initial: initial.apiKeyId,
        maxLength: 100,
      }),
      textInput({
        field: 'apiKey',
        label: 'API key',
        placeholder: 'The secret key',
        hint: 'Stored encrypted and never shown again, not even to you.',
        maxLength: 500,
      }),
      textInput({
        field: 'label',
        label: 'Label',
        placeholder: 'e.g. acme',
        hint: 'A short name to pick this org with --org. Optional.',
        optional: true,
        initial: initial.label,
        maxLength: 50,
      }),
      context(
        `No key yet? An org owner can make one with the Viam CLI: ${inlineCode('viam organizations api-key create --org-id <org-id>')}`,
      ),
    ],
  };
}

/** Inline errors for `ack({ response_action: 'errors', errors })`, keyed by the inputs' block IDs. */
export function connectErrors(problems: Partial<Record<ConnectField, string>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of Object.keys(CONNECT_BLOCKS) as ConnectField[]) {
    const problem = problems[field]?.trim();
    if (problem) errors[CONNECT_BLOCKS[field]] = trimText(problem, SLACK_LIMITS.inputHint, 'plain');
  }
  return errors;
}

type SubmittedValues = Record<string, Record<string, { value?: string | null } | undefined> | undefined>;

/** The trimmed values from `view.state.values` of a submitted connect modal; missing inputs read as empty. */
export function readConnectForm(values: SubmittedValues): ConnectFormValues {
  const read = (field: ConnectField) => values[CONNECT_BLOCKS[field]]?.[CONNECT_ACTIONS[field]]?.value?.trim() ?? '';
  const label = read('label');
  const form: ConnectFormValues = { orgId: read('orgId'), apiKeyId: read('apiKeyId'), apiKey: read('apiKey') };
  if (label) form.label = label;
  return form;
}

/** What replaces the modal once the key passed Viam's check and was stored. */
export function connectedView(result: { label: string; orgId: string; replaced: boolean }): ModalView {
  const verb = result.replaced ? 'Reconnected' : 'Connected';
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Viam org connected' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      section(
        `:white_check_mark: ${verb} ${inlineCode(result.label)} (org ${inlineCode(result.orgId)}). The key works and is stored encrypted.`,
      ),
      context(
        `Try ${inlineCode('/viam-usage')} in any channel. Give teammates access with ${inlineCode('/viam-usage access add @name')}.`,
      ),
    ],
  };
}
