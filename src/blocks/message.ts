/**
 * The shapes every renderer in this folder speaks. Renderers are pure: domain data in, a Slack
 * message or view out. Whether a message is ephemeral or posted in the channel is the handler's call.
 */
import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;

/** What `respond()` / `chat.postMessage` take: blocks plus a plain fallback for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface RenderContext {
  /** The connected org's label, as the workspace named it. */
  orgLabel: string;
  /** IANA zone used for dates shown to the reader, e.g. `America/New_York`. */
  timeZone: string;
  now: Date;
}

/** One part of a composite answer that could not be loaded; `error` is a user-safe sentence. */
export interface PartError {
  error: string;
}

export type PartResult<T> = T | PartError;

export function isPartError<T extends object>(part: PartResult<T>): part is PartError {
  return typeof (part as Partial<PartError>).error === 'string';
}
