/**
 * What a step put in front of people, in order: what someone typed or pressed, the messages, modals and
 * Home tab the app answered with, files it shared, and notes from the narrator. The terminal transcript and the
 * HTML preview both render these; user and channel fields are Slack IDs.
 */

export interface SharedFile {
  filename: string;
  title: string;
  sizeBytes: number;
  channel: string;
  /** Where the demo saved the bytes, relative to the output folder. */
  savedAs?: string;
}

export type Shown =
  | { kind: 'typed'; user: string; channel: string; text: string }
  | { kind: 'pressed'; user: string; channel: string; label: string; about?: string }
  /** A modal as someone filled it in, just before they pressed its submit button. */
  | { kind: 'submitted'; user: string; view: unknown; values: Record<string, string> }
  | {
      kind: 'message';
      channel: string;
      /** Ephemeral answers are seen only by `viewer`. */
      visibility: 'ephemeral' | 'channel';
      viewer?: string;
      payload: unknown;
      files?: SharedFile[];
    }
  | { kind: 'modal'; user: string; view: unknown }
  /** The app's Home tab as `user` sees it on opening it: the view the app last published for them. */
  | { kind: 'home'; user: string; view: unknown }
  | { kind: 'note'; text: string };
