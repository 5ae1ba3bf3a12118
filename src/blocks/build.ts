/**
 * Small block constructors that apply Slack's per-field limits as they build, so renderers can pass
 * any data without counting characters themselves.
 */
import { SLACK_LIMITS, trimText } from './limits';
import type { KnownBlock } from './message';

type Button = Extract<NonNullable<Extract<KnownBlock, { type: 'actions' }>['elements'][number]>, { type: 'button' }>;

export function header(text: string): KnownBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: trimText(text, SLACK_LIMITS.headerText, 'plain'), emoji: true },
  };
}

export function section(mrkdwn: string, accessory?: Button): KnownBlock {
  const text = { type: 'mrkdwn' as const, text: trimText(mrkdwn, SLACK_LIMITS.sectionText) };
  return accessory ? { type: 'section', text, accessory } : { type: 'section', text };
}

/** A two-column summary; Slack shows at most ten fields, so later ones are dropped. */
export function fields(mrkdwnFields: readonly string[]): KnownBlock {
  return {
    type: 'section',
    fields: mrkdwnFields
      .slice(0, SLACK_LIMITS.sectionFields)
      .map((text) => ({ type: 'mrkdwn' as const, text: trimText(text, SLACK_LIMITS.fieldText) })),
  };
}

export function context(...mrkdwn: string[]): KnownBlock {
  return {
    type: 'context',
    elements: mrkdwn
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn' as const, text: trimText(text, SLACK_LIMITS.contextText) })),
  };
}

export function divider(): KnownBlock {
  return { type: 'divider' };
}

export function actions(buttons: readonly Button[], blockId?: string): KnownBlock {
  const elements = buttons.slice(0, SLACK_LIMITS.actionsElements);
  return blockId === undefined ? { type: 'actions', elements } : { type: 'actions', block_id: blockId, elements };
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  /** Read by screen readers instead of `text`, e.g. "Share the PDF of the Oct 31, 2026 invoice". */
  accessibilityLabel?: string;
  style?: 'primary' | 'danger';
}

export function button(spec: ButtonSpec): Button {
  const built: Button = {
    type: 'button',
    text: { type: 'plain_text', text: trimText(spec.text, SLACK_LIMITS.buttonText, 'plain'), emoji: true },
    action_id: spec.actionId,
    value: spec.value,
  };
  if (spec.accessibilityLabel !== undefined)
    built.accessibility_label = trimText(spec.accessibilityLabel, SLACK_LIMITS.accessibilityLabel, 'plain');
  if (spec.style !== undefined) built.style = spec.style;
  return built;
}
