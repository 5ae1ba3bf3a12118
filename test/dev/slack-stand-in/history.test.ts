import type { webApi } from '@slack/bolt';
import {
  MANIFEST_BOT_SCOPES,
  ManualClock,
  SEED,
  type SlackStandIn,
  startSlackStandIn,
} from '../../../dev/slack-stand-in';
import { clientFor, platformError, slackError } from './web-client';

const { channels } = SEED;
const TAG = { event_type: 'viam_billing_digest', event_payload: { run_id: 'C0BILLING0:2026-W48' } };

describe('Slack stand-in conversations.history', () => {
  let clock: ManualClock;
  let standIn: SlackStandIn;
  let client: webApi.WebClient;

  beforeEach(async () => {
    clock = new ManualClock();
    standIn = await startSlackStandIn({ clock });
    client = clientFor(standIn, SEED.botToken);
  });

  afterEach(async () => {
    await standIn.stop();
  });

  /** Posts `count` messages one second apart and returns their ts, oldest first. */
  async function postSeries(channel: string, count: number, prefix = 'message'): Promise<string[]> {
    const stamps: string[] = [];
    for (let i = 0; i < count; i++) {
      const posted = await client.chat.postMessage({ channel, text: `${prefix} ${i}` });
      stamps.push(posted.ts ?? '');
      clock.advance(1000);
    }
    return stamps;
  }

  it('lists the channel newest first with the fields Slack returns, metadata only when asked for', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*$1,234.56* month to date' } }];
    const tagged = await client.chat.postMessage({
      channel: channels.billing,
      text: 'digest',
      blocks,
      metadata: TAG,
    });
    clock.advance(1000);
    const plain = await client.chat.postMessage({ channel: channels.billing, text: 'plain' });

    const withoutMetadata = await client.conversations.history({ channel: channels.billing });
    expect(withoutMetadata.messages?.map((message) => message.ts)).toEqual([plain.ts, tagged.ts]);
    expect(withoutMetadata.messages?.[1]).toMatchObject({
      type: 'message',
      user: SEED.botUserId,
      bot_id: SEED.botId,
      text: 'digest',
      ts: tagged.ts,
      blocks,
    });
    expect(withoutMetadata.messages?.[1]).not.toHaveProperty('metadata');
    expect(withoutMetadata).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });

    const withMetadata = await client.conversations.history({ channel: channels.billing, include_all_metadata: true });
    expect(withMetadata.messages?.[1]?.metadata).toEqual(TAG);
    expect(withMetadata.messages?.[0]).not.toHaveProperty('metadata');
  });

  it('keeps only messages strictly between oldest and latest, or including them with inclusive', async () => {
    const [first, second, third, fourth] = await postSeries(channels.general, 4);
    const between = await client.conversations.history({ channel: channels.general, oldest: first, latest: fourth });
    expect(between.messages?.map((message) => message.ts)).toEqual([third, second]);

    const inclusive = await client.conversations.history({
      channel: channels.general,
      oldest: first,
      latest: fourth,
      inclusive: true,
    });
    expect(inclusive.messages?.map((message) => message.ts)).toEqual([fourth, third, second, first]);

    // A whole-second bound, as our reconciliation sends it, compares against the fractional ts exactly.
    const wholeSecond = second?.split('.')[0];
    const sinceSecond = await client.conversations.history({ channel: channels.general, oldest: wholeSecond });
    expect(sinceSecond.messages?.map((message) => message.ts)).toEqual([fourth, third, second]);

    expect(await slackError(client.conversations.history({ channel: channels.general, oldest: 'yesterday' }))).toBe(
      'invalid_ts_oldest',
    );
  });

  it('pages with limit and an opaque cursor until has_more is false', async () => {
    const stamps = await postSeries(channels.general, 5);
    const seen: string[] = [];
    let cursor: string | undefined;
    const pages: number[] = [];
    do {
      const page = await client.conversations.history({ channel: channels.general, limit: 2, cursor });
      pages.push(page.messages?.length ?? 0);
      seen.push(...(page.messages ?? []).map((message) => message.ts ?? ''));
      cursor = page.response_metadata?.next_cursor || undefined;
      expect(Boolean(cursor)).toBe(page.has_more);
    } while (cursor);
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual([...stamps].reverse());

    expect(await slackError(client.conversations.history({ channel: channels.general, cursor: 'bm9wZQ==' }))).toBe(
      'invalid_cursor',
    );
  });

  it('orders messages posted within the same second by their ts sequence', async () => {
    const first = await client.chat.postMessage({ channel: channels.general, text: 'a' });
    const second = await client.chat.postMessage({ channel: channels.general, text: 'b' });
    const history = await client.conversations.history({ channel: channels.general, oldest: first.ts });
    expect(history.messages?.map((message) => message.ts)).toEqual([second.ts]);
  });

  it('leaves thread replies out, as Slack does (they belong to conversations.replies)', async () => {
    const parent = await client.chat.postMessage({ channel: channels.general, text: 'parent' });
    clock.advance(1000);
    await client.chat.postMessage({ channel: channels.general, text: 'reply', thread_ts: parent.ts });
    const history = await client.conversations.history({ channel: channels.general });
    expect(history.messages?.map((message) => message.text)).toEqual(['parent']);
  });

  it('answers channel_not_found for unknown channels, another team’s, and private ones the bot is not in', async () => {
    expect(await slackError(client.conversations.history({ channel: 'C0NOSUCHCH' }))).toBe('channel_not_found');
    expect(await slackError(client.conversations.history({ channel: channels.leadership }))).toBe('channel_not_found');
    const other = standIn.workspace.addTeam({ name: 'Globex', scopes: [...MANIFEST_BOT_SCOPES] });
    const otherClient = clientFor(standIn, other.botToken);
    expect(await slackError(otherClient.conversations.history({ channel: channels.general }))).toBe(
      'channel_not_found',
    );
  });

  it('answers not_in_channel for a public channel the bot has not joined, and reads it once joined', async () => {
    expect(await slackError(client.conversations.history({ channel: channels.random }))).toBe('not_in_channel');
    await client.conversations.join({ channel: channels.random });
    await expect(client.conversations.history({ channel: channels.random })).resolves.toMatchObject({
      ok: true,
      messages: [],
    });
  });

  it('needs channels:history for public channels and groups:history for private ones', async () => {
    standIn.workspace.setScopes(
      SEED.team.id,
      MANIFEST_BOT_SCOPES.filter((scope) => !scope.endsWith(':history')),
    );
    const publicError = await platformError(client.conversations.history({ channel: channels.billing }));
    expect(publicError.data).toMatchObject({ error: 'missing_scope', needed: 'channels:history' });
    const privateError = await platformError(client.conversations.history({ channel: channels.finance }));
    expect(privateError.data).toMatchObject({ error: 'missing_scope', needed: 'groups:history' });

    standIn.workspace.setScopes(SEED.team.id, [...MANIFEST_BOT_SCOPES]);
    await expect(client.conversations.history({ channel: channels.finance })).resolves.toMatchObject({ ok: true });
  });

  it('takes bot tokens only', async () => {
    expect(await slackError(clientFor(standIn, undefined).conversations.history({ channel: channels.general }))).toBe(
      'not_authed',
    );
    expect(
      await slackError(clientFor(standIn, standIn.app.appToken).conversations.history({ channel: channels.general })),
    ).toBe('not_allowed_token_type');
  });

  it('refuses message metadata that is not an event_type with an object event_payload', async () => {
    const post = (metadata: unknown) =>
      client.apiCall('chat.postMessage', { channel: channels.general, text: 'x', metadata });
    expect(await slackError(post({ event_type: 'has spaces', event_payload: {} }))).toBe('invalid_metadata_schema');
    expect(await slackError(post({ event_type: 'viam_billing_digest' }))).toBe('invalid_metadata_schema');
    expect(await slackError(post('{not json'))).toBe('invalid_metadata_format');
    expect(standIn.messagesIn(channels.general)).toEqual([]);
  });
});
