import type { webApi } from '@slack/bolt';
import {
  MANIFEST_BOT_SCOPES,
  ManualClock,
  SEED,
  type SlackStandIn,
  startSlackStandIn,
} from '../../../dev/slack-stand-in';
import { clientFor, platformError } from './web-client';

const { channels } = SEED;

describe('Slack stand-in conversations.replies', () => {
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

  it('lists a thread parent first, oldest to newest, with the files shared in it, paged by cursor', async () => {
    const parent = await client.chat.postMessage({ channel: channels.billing, text: 'digest' });
    const threadTs = parent.ts ?? '';
    await client.chat.postMessage({ channel: channels.billing, text: 'elsewhere' });
    const replies: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      const reply = await client.chat.postMessage({
        channel: channels.billing,
        text: `reply ${i}`,
        thread_ts: threadTs,
      });
      replies.push(reply.ts ?? '');
    }
    clock.advance(1000);
    const upload = await client.files.getUploadURLExternal({ filename: 'chart.png', length: 3 });
    await fetch(upload.upload_url ?? '', { method: 'POST', body: 'png' });
    await client.files.completeUploadExternal({
      files: [{ id: upload.file_id ?? '' }],
      channel_id: channels.billing,
      thread_ts: threadTs,
    });

    const first = await client.conversations.replies({ channel: channels.billing, ts: threadTs, limit: 3 });
    expect(first.messages?.map((message) => message.text)).toEqual(['digest', 'reply 0', 'reply 1']);
    expect(first.has_more).toBe(true);
    const rest = await client.conversations.replies({
      channel: channels.billing,
      ts: threadTs,
      limit: 3,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    expect(rest.messages?.map((message) => message.ts)).toEqual([replies[2], expect.any(String)]);
    expect(rest.messages?.at(-1)?.files?.map((file) => file.id)).toEqual([upload.file_id]);
    expect(rest.has_more).toBe(false);
  });

  it('answers thread_not_found for an unknown thread, and needs the history scopes', async () => {
    const missing = await platformError(client.conversations.replies({ channel: channels.billing, ts: '1.000001' }));
    expect(missing.data).toMatchObject({ error: 'thread_not_found' });

    const parent = await client.chat.postMessage({ channel: channels.billing, text: 'digest' });
    standIn.workspace.setScopes(
      SEED.team.id,
      MANIFEST_BOT_SCOPES.filter((scope) => !scope.endsWith(':history')),
    );
    const denied = await platformError(
      client.conversations.replies({ channel: channels.billing, ts: parent.ts ?? '' }),
    );
    expect(denied.data).toMatchObject({ error: 'missing_scope', needed: 'channels:history' });
  });
});
