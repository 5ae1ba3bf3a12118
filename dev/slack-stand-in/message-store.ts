/** A message as it currently stands in a channel (after any chat.update). */
export interface StandInMessage {
  channel: string;
  ts: string;
  teamId: string;
  /** The author: the bot's user id. */
  user: string;
  botId: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  threadTs?: string;
  metadata?: unknown;
  /** File ids shared with this message (files.completeUploadExternal). */
  files?: string[];
  /** How many times chat.update changed it. */
  updates: number;
}

export interface StandInEphemeral {
  channel: string;
  /** The only user who sees it. */
  user: string;
  messageTs: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
}

/** What is visible in channels. Deleted messages disappear, as in Slack; the call log still has them. */
export class MessageStore {
  private readonly messages: StandInMessage[] = [];
  private readonly ephemerals: StandInEphemeral[] = [];

  post(message: Omit<StandInMessage, 'updates'>): StandInMessage {
    const stored = { ...message, updates: 0 };
    this.messages.push(stored);
    return stored;
  }

  postEphemeral(message: StandInEphemeral): void {
    this.ephemerals.push(message);
  }

  find(channel: string, ts: string): StandInMessage | undefined {
    return this.messages.find((message) => message.channel === channel && message.ts === ts);
  }

  update(channel: string, ts: string, change: Pick<StandInMessage, 'text' | 'blocks' | 'attachments'>): StandInMessage {
    const message = this.find(channel, ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    message.text = change.text;
    message.blocks = change.blocks;
    message.attachments = change.attachments;
    message.updates += 1;
    return message;
  }

  delete(channel: string, ts: string): void {
    const index = this.messages.findIndex((message) => message.channel === channel && message.ts === ts);
    if (index >= 0) this.messages.splice(index, 1);
  }

  in(channel: string): StandInMessage[] {
    return this.messages.filter((message) => message.channel === channel);
  }

  ephemeralIn(channel: string, user?: string): StandInEphemeral[] {
    return this.ephemerals.filter(
      (message) => message.channel === channel && (user === undefined || message.user === user),
    );
  }

  clear(): void {
    this.messages.length = 0;
    this.ephemerals.length = 0;
  }
}
