/**
 * Failures to one user-facing sentence. Slack's errors are real ones: a WebClient talks to the
 * stand-in over loopback and the stand-in answers with the injected error.
 */
import { webApi } from '@slack/bolt';
import { SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { ViamBillingError } from '../../src/billing/errors';
import { describeFailure, slackErrorCode, UploadRefused } from '../../src/services/user-errors';
import { StoreError } from '../../src/store';

let slack: SlackStandIn;
let client: webApi.WebClient;

beforeAll(async () => {
  slack = await startSlackStandIn();
  client = new webApi.WebClient(SEED.botToken, {
    slackApiUrl: slack.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
});

afterAll(async () => {
  await slack.stop();
});

async function slackFailure(error: string): Promise<unknown> {
  slack.failNext('chat.postMessage', error);
  return client.chat.postMessage({ channel: SEED.channels.billing, text: 'hi' }).then(
    () => {
      throw new Error('the call should have failed');
    },
    (failure: unknown) => failure,
  );
}

describe('describeFailure', () => {
  it('passes a Viam error through: its message is already safe, and only internal errors are unexpected', () => {
    expect(describeFailure(new ViamBillingError('unavailable'))).toEqual({
      message: 'Viam could not be reached just now. Try again in a minute.',
      expected: true,
    });
    expect(describeFailure(new ViamBillingError('internal')).expected).toBe(false);
  });

  it('says a file Slack would not take can be tried again', () => {
    expect(describeFailure(new UploadRefused('the upload host answered 500'))).toEqual({
      message: 'Slack did not take the file just now. Try again in a minute.',
      expected: true,
    });
  });

  it('passes a store error through; an unreachable store is unexpected', () => {
    expect(describeFailure(new StoreError('corrupt')).expected).toBe(true);
    expect(describeFailure(new StoreError('unavailable'))).toEqual({
      message: new StoreError('unavailable').message,
      expected: false,
    });
  });

  it.each([
    ['not_in_channel', 'I am not a member of this channel. Invite me with `/invite @viam-billing` and try again.'],
    [
      'channel_not_found',
      'I cannot see this channel. If it is private, invite me with `/invite @viam-billing` and try again.',
    ],
    ['is_archived', 'This channel is archived, so I cannot post in it.'],
    ['file_uploads_disabled', 'File uploads are turned off in this workspace, so I cannot share the file here.'],
    ['invalid_auth', 'Slack no longer accepts this app in this workspace. An admin must reinstall it.'],
  ])('turns Slack’s %s into a sentence the user can act on', async (code, sentence) => {
    const failure = await slackFailure(code);
    expect(slackErrorCode(failure)).toBe(code);
    expect(describeFailure(failure)).toEqual({ message: sentence, expected: true });
  });

  it('a Slack error nobody can fix, or anything else, is one generic sentence that reveals nothing', async () => {
    const generic = 'Something went wrong on our side. Try again, and tell your admin if it keeps happening.';
    expect(describeFailure(await slackFailure('invalid_blocks'))).toEqual({ message: generic, expected: false });
    expect(describeFailure(new Error(`token ${SEED.botToken} rejected`))).toEqual({
      message: generic,
      expected: false,
    });
    expect(describeFailure('a string')).toEqual({ message: generic, expected: false });
  });

  it('rate limiting says to wait', async () => {
    slack.rateLimitNext('chat.postMessage', 30);
    const failure = await client.chat.postMessage({ channel: SEED.channels.billing, text: 'hi' }).catch((e) => e);
    expect(describeFailure(failure)).toEqual({
      message: 'Slack is rate-limiting this app right now. Try again in a minute.',
      expected: true,
    });
  });
});
