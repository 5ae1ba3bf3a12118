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

// ---- App Home ----

/** Buttons of the Home tab. Manager buttons are re-authorized on every press: anyone can craft a payload. */
export const ACTION_HOME_CONNECT = 'viam_usage.home.connect';
export const ACTION_HOME_ACCESS = 'viam_usage.home.access';
export const ACTION_HOME_DIGESTS = 'viam_usage.home.digests';
export const ACTION_HOME_BUDGET = 'viam_usage.home.budget';
export const ACTION_HOME_DISCONNECT = 'viam_usage.home.disconnect';
/**
 * The Home tab's Share PDF: a Home tab has no channel to share into, so its press asks for one in a
 * modal instead of sharing where the button is, as ACTION_SHARE_INVOICE_PDF does in messages.
 */
export const ACTION_HOME_SHARE_PDF = 'viam_usage.home.share_pdf';

/** The connect modal opened from the Home tab: same form, but its success also refreshes the Home tab. */
export const VIEW_HOME_CONNECT_ORG = 'viam_usage.home.connect_org';
export const VIEW_HOME_DIGESTS = 'viam_usage.home.digests_form';
export const VIEW_HOME_BUDGET = 'viam_usage.home.budget_form';
export const VIEW_HOME_ACCESS = 'viam_usage.home.access_form';
export const VIEW_HOME_SHARE_PDF = 'viam_usage.home.share_pdf_form';

/**
 * Inputs of the Home modals: the block ID (which `response_action: 'errors'` is keyed by) and the
 * action ID, read back as `view.state.values[block][action]`.
 */
export interface FormInput {
  block: string;
  action: string;
}

export const DIGEST_FORM = {
  channel: { block: 'digest.channel', action: 'channel' },
  weekday: { block: 'digest.weekday', action: 'weekday' },
  time: { block: 'digest.time', action: 'time' },
  timeZone: { block: 'digest.time_zone', action: 'time_zone' },
  org: { block: 'digest.org', action: 'org' },
  stop: { block: 'digest.stop', action: 'stop' },
} as const satisfies Record<string, FormInput>;

export const BUDGET_FORM = {
  amount: { block: 'budget.amount', action: 'amount' },
  channel: { block: 'budget.channel', action: 'channel' },
  remove: { block: 'budget.remove', action: 'remove' },
} as const satisfies Record<string, FormInput>;

export const ACCESS_FORM = {
  viewers: { block: 'access.viewers', action: 'viewers' },
} as const satisfies Record<string, FormInput>;

export const SHARE_PDF_FORM = {
  channel: { block: 'share_pdf.channel', action: 'channel' },
} as const satisfies Record<string, FormInput>;

export type DigestFormField = keyof typeof DIGEST_FORM;
export type BudgetFormField = keyof typeof BUDGET_FORM;

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
