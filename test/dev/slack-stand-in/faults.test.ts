/**
 * The stand-in's fault knobs added for the fault suite (test/faults): holding a call in flight to
 * release or drop it, and a token Slack does not know (invalid_auth) on one team only.
 */
import type { webApi } from '@slack/bolt';
import { SEED, type SlackStandIn, startSlackStandIn, UPLOAD_METHOD } from '../../../dev/slack-stand-in';
import { clientFor, slackError } from './web-client';

const { channels } = SEED;

describe('Slack stand-in fault knobs', () => {
  let standIn: SlackStandIn;
  let client: webApi.WebClient;

  beforeEach(async () => {
    standIn = await startSlackStandIn();
    client = clientFor(standIn, SEED.botToken);
  });

  afterEach(async () => {
    await standIn.stop();
  });

  it('holds a call until released, then runs it and answers as usual', async () => {
    const held = standIn.holdNext('chat.postMessage');
    const posting = client.chat.postMessage({ channel: channels.billing, text: 'held' });
    expect(await held.arrived).toEqual({
      method: 'chat.postMessage',
      args: expect.objectContaining({ channel: channels.billing, text: 'held' }),
    });
    // Held: nothing happened yet, and nothing was recorded.
    expect(standIn.messagesIn(channels.billing)).toEqual([]);
    expect(standIn.calls('chat.postMessage')).toEqual([]);
    held.release();
    await expect(posting).resolves.toMatchObject({ ok: true, channel: channels.billing });
    expect(standIn.messagesIn(channels.billing).map((message) => message.text)).toEqual(['held']);
    // Only the next call is held.
    await expect(client.chat.postMessage({ channel: channels.billing, text: 'free' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('runs a released call even when its caller has gone', async () => {
    const held = standIn.holdNext('chat.postMessage');
    const abort = new AbortController();
    const posting = fetch(`${standIn.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SEED.botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: channels.billing, text: 'posted after the caller left' }),
      signal: abort.signal,
    });
    await held.arrived;
    abort.abort();
    await expect(posting).rejects.toThrow();
    held.release();
    await standIn.waitForCall('chat.postMessage');
    expect(standIn.messagesIn(channels.billing).map((message) => message.text)).toEqual([
      'posted after the caller left',
    ]);
  });

  it('drops a held call: the connection is cut, nothing is done, and the call is recorded as dropped', async () => {
    const held = standIn.holdNext('chat.postMessage');
    const posting = client.chat.postMessage({ channel: channels.billing, text: 'lost' });
    await held.arrived;
    held.drop();
    await expect(posting).rejects.toBeInstanceOf(Error);
    expect(standIn.messagesIn(channels.billing)).toEqual([]);
    expect(standIn.calls('chat.postMessage')).toEqual([
      expect.objectContaining({ status: 0, ok: false, error: 'dropped' }),
    ]);
  });

  it('holds uploads too, and drops holds that were never used when faults are cleared', async () => {
    const unused = standIn.holdNext('users.info');
    standIn.clearFaults();
    await expect(client.users.info({ user: SEED.users.ada })).resolves.toMatchObject({ ok: true });

    const held = standIn.holdNext(UPLOAD_METHOD);
    const uploading = client.filesUploadV2({
      channel_id: channels.billing,
      file: Buffer.from('%PDF-1.4 held upload'),
      filename: 'held.pdf',
    });
    expect(await held.arrived).toMatchObject({ method: UPLOAD_METHOD, args: { filename: 'held.pdf' } });
    expect(standIn.uploadedFiles()).toEqual([]);
    held.release();
    await uploading;
    expect(standIn.uploadedFiles().map((file) => file.bytes.toString('latin1'))).toEqual(['%PDF-1.4 held upload']);
    // A handle whose hold was cleared does nothing when used late.
    unused.release();
  });

  it('answers invalid_auth for one team whose token it no longer knows, while another team works', async () => {
    const other = standIn.workspace.addTeam({ name: 'Other Co', scopes: ['chat:write'] });
    const otherChannel = standIn.workspace.addChannel(other.id, { name: 'billing', botIsMember: true });
    standIn.workspace.revokeToken(SEED.team.id, 'invalid_auth');
    expect(await slackError(client.chat.postMessage({ channel: channels.billing, text: 'no' }))).toBe('invalid_auth');
    await expect(
      clientFor(standIn, other.botToken).chat.postMessage({ channel: otherChannel.id, text: 'yes' }),
    ).resolves.toMatchObject({ ok: true });
    standIn.workspace.restoreToken(SEED.team.id);
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });
});
