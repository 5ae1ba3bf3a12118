/** Sharing a file into a channel or a thread through a real WebClient and the Slack stand-in. */

import { Agent } from 'undici';
import { SEED, type SlackStandIn, startSlackStandIn, UPLOAD_METHOD } from '../../dev/slack-stand-in';
import { shareFileInChannel, UPLOAD_ATTEMPTS, UploadRefused } from '../../src/services/file-upload';
import { slackErrorCode } from '../../src/services/user-errors';
import { clientFor, platformError } from '../dev/slack-stand-in/web-client';
import { captureLog } from '../store/support';

const uploads = new Agent();

describe('shareFileInChannel', () => {
  let standIn: SlackStandIn;

  beforeAll(async () => {
    standIn = await startSlackStandIn();
  });

  afterAll(async () => {
    await standIn.stop();
  });

  beforeEach(() => {
    standIn.resetRecords();
    standIn.clearFaults();
  });

  function share(channelId: string, extra: { threadTs?: string } = {}) {
    return shareFileInChannel({
      client: clientFor(standIn, SEED.botToken),
      dispatcher: uploads,
      channelId,
      file: Buffer.from('hello chart'),
      filename: 'hello.png',
      title: 'Hello',
      initialComment: 'Here it is.',
      altText: 'A friendly picture.',
      what: 'a test file',
      logger: captureLog().logger,
      ...extra,
    });
  }

  it('shares the bytes with title, comment and alt text, and returns the file ID', async () => {
    const { fileId } = await share(SEED.channels.billing);
    const [file] = standIn.uploadedFiles();
    expect(fileId).toBe(file?.id);
    expect(file).toMatchObject({ channel: SEED.channels.billing, title: 'Hello', initialComment: 'Here it is.' });
    expect(file?.threadTs).toBeUndefined();
    expect(file?.bytes.toString()).toBe('hello chart');
    expect(standIn.lastCall('files.getUploadURLExternal')?.args.alt_text).toBe('A friendly picture.');
  });

  it('replies in a thread when given its ts', async () => {
    const client = clientFor(standIn, SEED.botToken);
    const parent = await client.chat.postMessage({ channel: SEED.channels.billing, text: 'digest' });
    await share(SEED.channels.billing, { threadTs: parent.ts as string });
    expect(standIn.uploadedFiles().map((file) => file.threadTs)).toEqual([parent.ts]);
  });

  it('joins a public channel it is not in, once, then shares', async () => {
    await share(SEED.channels.random);
    expect(standIn.calls('conversations.join').map((call) => call.args.channel)).toEqual([SEED.channels.random]);
    expect(standIn.uploadedFiles().map((file) => file.channel)).toEqual([SEED.channels.random]);
  });

  it('leaves a private channel’s not_in_channel to the caller, without trying to join', async () => {
    const error = await platformError(share(SEED.channels.leadership));
    expect(slackErrorCode(error)).toBe('not_in_channel');
    expect(standIn.calls('conversations.join')).toEqual([]);
  });

  it('passes other Slack errors on as they are', async () => {
    standIn.failNext('files.getUploadURLExternal', 'file_uploads_disabled');
    expect(slackErrorCode(await platformError(share(SEED.channels.billing)))).toBe('file_uploads_disabled');
    expect(standIn.uploadedFiles()).toEqual([]);
  });

  it('sends the bytes raw, retrying a rate limit and server errors at the upload host, and shares once', async () => {
    standIn.rateLimitNext(UPLOAD_METHOD, 1);
    standIn.serverErrorNext(UPLOAD_METHOD, 503);
    const started = Date.now();
    await share(SEED.channels.billing);
    expect(standIn.calls(UPLOAD_METHOD).map((call) => call.status)).toEqual([429, 503, 200]);
    // Retry-After: 1 was honoured before the second attempt.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(standIn.calls('files.completeUploadExternal')).toHaveLength(1);
    expect(standIn.uploadedFiles().map((file) => file.bytes.toString())).toEqual(['hello chart']);
  });

  it('gives up after repeated server errors without completing anything', async () => {
    standIn.serverErrorNext(UPLOAD_METHOD, 500, UPLOAD_ATTEMPTS);
    await expect(share(SEED.channels.billing)).rejects.toBeInstanceOf(UploadRefused);
    expect(standIn.calls(UPLOAD_METHOD)).toHaveLength(UPLOAD_ATTEMPTS);
    expect(standIn.calls('files.completeUploadExternal')).toEqual([]);
    expect(standIn.uploadedFiles()).toEqual([]);
  }, 20_000);
});
