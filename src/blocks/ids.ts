/**
 * Identifiers shared by the renderers and the handlers that listen for them, plus the encoding of
 * button values. Handlers must treat a decoded value as untrusted input: anyone can craft a payload.
 */
import { z } from 'zod';

export const SLASH_COMMAND = '/viam-usage';

export const ACTION_SHOW_USAGE = 'viam_usage.show_usage';
export const ACTION_SHOW_INVOICES = 'viam_usage.show_invoices';
export const ACTION_SHOW_BILLING = 'viam_usage.show_billing';
export const ACTION_SHARE_INVOICE_PDF = 'viam_usage.share_invoice_pdf';

export const BLOCK_OVERVIEW_ACTIONS = 'viam_usage.overview_actions';

export const VIEW_CONNECT_ORG = 'viam_usage.connect_org';

/** Block ids of the connect modal's inputs; view-submission `errors` are keyed by these. */
export const CONNECT_BLOCKS = {
  orgId: 'connect.org_id',
  apiKeyId: 'connect.api_key_id',
  apiKey: 'connect.api_key',
  label: 'connect.label',
} as const;

/** Action ids of the connect modal's inputs: `view.state.values[CONNECT_BLOCKS.x][CONNECT_ACTIONS.x].value`. */
export const CONNECT_ACTIONS = {
  orgId: 'org_id',
  apiKeyId: 'api_key_id',
  apiKey: 'api_key',
  label: 'label',
} as const;

export type ConnectField = keyof typeof CONNECT_BLOCKS;

/** Slack caps a button's `value` at 2000 characters. */
const MAX_BUTTON_VALUE = 2000;

export interface ButtonValue {
  org: string;
  invoice?: string;
}

const buttonValueSchema = z.strictObject({
  org: z.string().min(1),
  invoice: z.string().min(1).optional(),
});

/** JSON for a button's `value`, or undefined when it would not fit Slack's limit (the caller then leaves the button out). */
export function encodeButtonValue(value: ButtonValue): string | undefined {
  const encoded = JSON.stringify(value.invoice === undefined ? { org: value.org } : value);
  return encoded.length <= MAX_BUTTON_VALUE ? encoded : undefined;
}

/** The value a button was rendered with, or undefined when the payload is not one of ours. */
export function decodeButtonValue(raw: unknown): ButtonValue | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_BUTTON_VALUE) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const result = buttonValueSchema.safeParse(parsed);
  if (!result.success) return undefined;
  const { org, invoice } = result.data;
  return invoice === undefined ? { org } : { org, invoice };
}
