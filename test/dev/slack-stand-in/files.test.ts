import type { webApi } from '@slack/bolt';
import {
  MANIFEST_BOT_SCOPES,
  SEED,
  type SlackStandIn,
  startSlackStandIn,
  UPLOAD_METHOD,
} from '../../../dev/slack-stand-in';
import { clientFor, slackError } from './web-client';

const { channels } = SEED;

/** Every byte value, repeated, so any text re-encoding or truncation of the upload would show. */
function pdfLikeBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 131 + 7) & 0xff;
  bytes.write('%PDF-1.7\r\n', 0, 'latin1');
  return bytes;
}

describe('Slack stand-in file uploads (files.uploadV2)', () => {
  let standIn: SlackStandIn;
  let client: webApi.WebClient;

  beforeEach(async () => {
    standIn = await startSlackStandIn();
    client = clientFor(standIn, SEED.botToken);
  });

  afterEach(async () => {
    await standIn.stop();
  });

  it('receives a multi-megabyte upload byte-identical, with filename, title and channel', async () => {
    const pdf = pdfLikeBytes(3 * 1024 * 1024 + 17);
    const result = await client.files.uploadV2({
      channel_id: channels.billing,
      file: pdf,
      filename: 'invoice-2026-10.pdf',
      title: 'Invoice October 2026',
      initial_comment: 'Your October invoice',
    });
    expect(result.ok).toBe(true);

    const [uploaded, ...others] = standIn.uploadedFiles();
    expect(others).toEqual([]);
    expect(uploaded).toMatchObject({
      filename: 'invoice-2026-10.pdf',
      title: 'Invoice October 2026',
      channel: channels.billing,
      declaredLength: pdf.length,
      mimetype: 'application/pdf',
      initialComment: 'Your October invoice',
    });
    expect(uploaded?.bytes.equals(pdf)).toBe(true);
    expect(standIn.calls().map((call) => call.method)).toEqual([
      'files.getUploadURLExternal',
      UPLOAD_METHOD,
      'files.completeUploadExternal',
    ]);
    expect(standIn.messagesIn(channels.billing)).toEqual([
      expect.objectContaining({ text: 'Your October invoice', files: [uploaded?.id] }),
    ]);
  });

  it('answers not_in_channel when the bot is not in the channel, even with chat:write.public', async () => {
    standIn.workspace.setScopes(SEED.team.id, [...MANIFEST_BOT_SCOPES, 'chat:write.public']);
    const upload = client.files.uploadV2({ channel_id: channels.random, file: Buffer.from('%PDF'), filename: 'a.pdf' });
    expect(await slackError(upload)).toBe('not_in_channel');
    expect(standIn.uploadedFiles()).toEqual([]);
    expect(standIn.lastCall('files.completeUploadExternal')).toMatchObject({ ok: false, error: 'not_in_channel' });
  });

  it('rejects a user id as channel_id, as Slack does', async () => {
    const upload = client.files.uploadV2({ channel_id: SEED.users.ada, content: 'hi', filename: 'a.txt' });
    expect(await slackError(upload)).toBe('invalid_arguments');
  });

  it('answers missing_argument for a zero length and file_not_found for a file never uploaded', async () => {
    expect(await slackError(client.files.getUploadURLExternal({ filename: 'empty.pdf', length: 0 }))).toBe(
      'missing_argument',
    );
    const started = await client.files.getUploadURLExternal({ filename: 'never.pdf', length: 10 });
    expect(started.upload_url).toMatch(new RegExp(`^${standIn.origin}/upload/v1/`));
    const complete = client.files.completeUploadExternal({ files: [{ id: started.file_id ?? '' }] });
    expect(await slackError(complete)).toBe('file_not_found');
  });

  it('fails uploadV2 when the upload endpoint answers 5xx, and completes nothing', async () => {
    standIn.serverErrorNext(UPLOAD_METHOD, 500);
    await expect(
      client.files.uploadV2({ channel_id: channels.billing, file: Buffer.from('%PDF'), filename: 'a.pdf' }),
    ).rejects.toThrow();
    expect(standIn.calls('files.completeUploadExternal')).toEqual([]);
    expect(standIn.uploadedFiles()).toEqual([]);
  });

  it('describes a shared file through files.info when files:read is granted', async () => {
    await client.files.uploadV2({ channel_id: channels.finance, content: 'a,b\n1,2\n', filename: 'usage.csv' });
    const [file] = standIn.uploadedFiles();
    expect(await slackError(client.files.info({ file: file?.id ?? '' }))).toBe('missing_scope');
    standIn.workspace.setScopes(SEED.team.id, [...MANIFEST_BOT_SCOPES, 'files:read']);
    const info = await client.files.info({ file: file?.id ?? '' });
    expect(info.file).toMatchObject({
      id: file?.id,
      name: 'usage.csv',
      title: 'usage.csv',
      size: 8,
      groups: [channels.finance],
    });
    expect(Object.keys(info.file?.shares?.private ?? {})).toEqual([channels.finance]);
  });
});
