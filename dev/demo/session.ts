/**
 * Drives the local stack the way people in Acme's Slack would: typing a command, pressing a button,
 * submitting a modal; and gathers everything that appeared in Slack because of it (answers on the
 * response URL, modals opened, messages and files in channels).
 */
import type { LocalStack } from '../local-stack';
import { type RecordedCall, SEED, type StandInMessage, type UploadedFile } from '../slack-stand-in';
import { isRecord } from './json';
import type { NameLookup } from './mrkdwn';
import type { SharedFile, Shown } from './shown';
import { escapeCommandText } from './slack-escape';

export const COMMAND = '/viam-usage';

export interface Who {
  user: string;
  channel: string;
}

export interface Interaction {
  /** HTTP status the app acked with (200 when it took the request). */
  ackStatus: number;
  /** The raw ack body (JSON for view submissions). */
  ackBody: string;
  /** True when something visible happened before the timeout. */
  answered: boolean;
  /** Posts to the response URL (`text`, `blocks`, `response_type`). */
  answers: unknown[];
  /** Modal views the app opened. */
  modals: unknown[];
  /** Messages that appeared in channels. */
  messages: StandInMessage[];
  /** Files shared, with their bytes. */
  files: Array<{ shared: SharedFile; bytes: Buffer }>;
  /** What people saw, in order, for the transcript. */
  shown: Shown[];
}

export interface Baseline {
  callSeq: number;
  files: number;
  views: number;
  messages: Map<string, number>;
}

export interface Button {
  actionId: string;
  value: string;
  label: string;
}

export class DemoSession {
  constructor(
    readonly stack: LocalStack,
    readonly names: NameLookup,
    /** How long to wait for the app to show anything after a request. */
    private readonly answerTimeoutMs = 10_000,
  ) {}

  /** `/viam-usage <typed>` as `who.user` in `who.channel`, with mentions escaped as Slack escapes them. */
  async command(typed: string, who: Who): Promise<Interaction> {
    const base = this.baseline();
    const { ack, responseUrl } = await this.stack.command(escapeCommandText(typed, this.directory()), {
      ...who,
      waitForAnswer: false,
    });
    const answered = await this.firstEffect(base, responseUrl);
    const shown: Shown[] = [{ kind: 'typed', ...who, text: `${COMMAND} ${typed}`.trim() }];
    return this.collect(base, { ackStatus: ack.status, ackBody: ack.body, answered, responseUrl, who, shown });
  }

  async press(button: Button, who: Who, about?: string): Promise<Interaction> {
    const base = this.baseline();
    const { ack, responseUrl } = await this.stack.pressButton(button.actionId, button.value, {
      ...who,
      waitForAnswer: false,
    });
    const answered = await this.firstEffect(base, responseUrl);
    const pressed: Shown = { kind: 'pressed', ...who, label: button.label, ...(about ? { about } : {}) };
    return this.collect(base, {
      ackStatus: ack.status,
      ackBody: ack.body,
      answered,
      responseUrl,
      who,
      shown: [pressed],
    });
  }

  /**
   * Submits a modal with `typed` values by input block; `shownValues` is what the transcript shows
   * (secrets masked). What the app acked with comes back parsed.
   */
  async submit(
    view: unknown,
    typed: Record<string, { actionId: string; value: string }>,
    shownValues: Record<string, string>,
    user: string,
  ): Promise<{ ackStatus: number; ack: Record<string, unknown>; shown: Shown[] }> {
    const callbackId = isRecord(view) && typeof view.callback_id === 'string' ? view.callback_id : '';
    const privateMetadata =
      isRecord(view) && typeof view.private_metadata === 'string' ? view.private_metadata : undefined;
    const values: Record<string, Record<string, unknown>> = {};
    for (const [blockId, { actionId, value }] of Object.entries(typed)) {
      values[blockId] = { [actionId]: { type: 'plain_text_input', value } };
    }
    const response = await this.stack.submitView(callbackId, values, { user, privateMetadata });
    const ack = parseAck(response.body);
    const shown: Shown[] = [{ kind: 'submitted', user, view, values: shownValues }];
    if (ack.response_action === 'update' || ack.response_action === 'push') {
      shown.push({ kind: 'modal', user, view: ack.view });
    } else if (ack.response_action === 'errors') {
      shown.push({ kind: 'note', text: `The modal stays open with errors: ${JSON.stringify(ack.errors)}` });
    }
    return { ackStatus: response.status, ack, shown };
  }

  /** Counts of what exists now, so `collect` can tell what is new. */
  baseline(): Baseline {
    const { slack } = this.stack;
    const messages = new Map<string, number>();
    for (const channel of slack.workspace.channelsOf(SEED.team.id)) {
      messages.set(channel.id, slack.messagesIn(channel.id).length);
    }
    return {
      callSeq: slack.calls().at(-1)?.seq ?? 0,
      files: slack.uploadedFiles().length,
      views: slack.views().length,
      messages,
    };
  }

  /** Messages and files that appeared in channels since `base` (e.g. after a scheduler tick). */
  newChannelMessages(base: Baseline): { messages: StandInMessage[]; files: Interaction['files']; shown: Shown[] } {
    const { slack } = this.stack;
    const uploads = slack
      .uploadedFiles()
      .slice(base.files)
      .map((file) => ({ id: file.id, shared: sharedFile(file), bytes: file.bytes }));
    const messages: StandInMessage[] = [];
    const shown: Shown[] = [];
    for (const [channelId, before] of base.messages) {
      for (const message of slack.messagesIn(channelId).slice(before)) {
        messages.push(message);
        const attached = uploads.filter((file) => message.files?.includes(file.id));
        shown.push({
          kind: 'message',
          channel: channelId,
          visibility: 'channel',
          payload: messagePayload(message),
          ...(attached.length > 0 ? { files: attached.map((file) => file.shared) } : {}),
        });
      }
    }
    return { messages, files: uploads.map(({ shared, bytes }) => ({ shared, bytes })), shown };
  }

  private async collect(
    base: Baseline,
    request: {
      ackStatus: number;
      ackBody: string;
      answered: boolean;
      responseUrl: string;
      who: Who;
      shown: Shown[];
    },
  ): Promise<Interaction> {
    const { slack } = this.stack;
    // What a digest sends after its answer (the chart in its thread) belongs to this step, not the next.
    await this.stack.app.services.digests.scheduler.idle();
    const answers = slack.responses(request.responseUrl).map((response) => response.body);
    const modals = slack
      .views()
      .slice(base.views)
      .filter((view) => view.type === 'modal')
      .map((view) => view.view);
    const inChannels = this.newChannelMessages(base);
    const shown: Shown[] = [...request.shown];
    for (const answer of answers) {
      const ephemeral = !(isRecord(answer) && answer.response_type === 'in_channel');
      shown.push({
        kind: 'message',
        channel: request.who.channel,
        visibility: ephemeral ? 'ephemeral' : 'channel',
        ...(ephemeral ? { viewer: request.who.user } : {}),
        payload: answer,
      });
    }
    for (const view of modals) shown.push({ kind: 'modal', user: request.who.user, view });
    shown.push(...inChannels.shown);
    return {
      ackStatus: request.ackStatus,
      ackBody: request.ackBody,
      answered: request.answered,
      answers,
      modals,
      messages: inChannels.messages,
      files: inChannels.files,
      shown,
    };
  }

  /**
   * Waits for the first visible effect: an answer on the response URL, a modal, or a finished upload
   * (sharing a PDF answers with the file alone). False when none came in time.
   */
  private async firstEffect(base: Baseline, responseUrl: string): Promise<boolean> {
    const { slack } = this.stack;
    const since = (call: RecordedCall) => call.seq > base.callSeq && call.ok;
    try {
      await Promise.any([
        slack.waitForResponse(responseUrl, undefined, this.answerTimeoutMs),
        slack.waitForCall('views.open', since, this.answerTimeoutMs),
        slack.waitForCall('files.completeUploadExternal', since, this.answerTimeoutMs),
      ]);
      return true;
    } catch {
      return false;
    }
  }

  private directory() {
    const { workspace } = this.stack.slack;
    return {
      channels: workspace.channelsOf(SEED.team.id),
      users: workspace.usersOf(SEED.team.id),
    };
  }
}

function sharedFile(file: UploadedFile): SharedFile {
  return { filename: file.filename, title: file.title, sizeBytes: file.bytes.length, channel: file.channel ?? '' };
}

/** The message as the app sent it, without the stand-in's bookkeeping. */
export function messagePayload(message: StandInMessage): Record<string, unknown> {
  const payload: Record<string, unknown> = { channel: message.channel, text: message.text ?? '' };
  if (message.blocks) payload.blocks = message.blocks;
  if (message.files) payload.files = message.files;
  return payload;
}

function parseAck(body: string): Record<string, unknown> {
  if (body === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
