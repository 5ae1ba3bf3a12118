import { status } from '@grpc/grpc-js';
import { webApi } from '@slack/bolt';
import { ViamBillingError } from '../../src/billing/errors';
import {
  classifyFailure,
  KEY_REJECTED_SENTENCE,
  OrgDisconnectedError,
  retriesExhausted,
} from '../../src/digest/failures';
import { StoreError } from '../../src/store';

const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });

describe('classifyFailure', () => {
  it.each([
    new ViamBillingError('unavailable'),
    new ViamBillingError('deadline_exceeded'),
    new ViamBillingError('internal'),
    new StoreError('unavailable'),
    new webApi.WebAPIHTTPError(503, 'Service Unavailable', {}),
    new webApi.WebAPIRateLimitedError(30),
    new webApi.WebAPIRequestError(new Error('socket hang up')),
    platform('ratelimited'),
    platform('internal_error'),
    new Error('surprise'),
  ])('retries %s later', (error) => {
    expect(classifyFailure(error).transient).toBe(true);
  });

  it.each(['unauthenticated', 'permission_denied'] as const)('a key Viam refuses (%s) must be reconnected', (kind) => {
    expect(classifyFailure(new ViamBillingError(kind, 'details', status.UNAUTHENTICATED))).toEqual({
      transient: false,
      code: `viam_${kind}`,
      sentence: KEY_REJECTED_SENTENCE,
      canNotify: true,
    });
  });

  it('a disconnected org is permanent and worth a notice', () => {
    expect(classifyFailure(new OrgDisconnectedError('acme'))).toMatchObject({
      transient: false,
      code: 'org_disconnected',
      canNotify: true,
    });
    expect(classifyFailure(new StoreError('not_found'))).toMatchObject({ code: 'org_disconnected' });
  });

  it.each(['not_in_channel', 'channel_not_found', 'is_archived'])(
    '%s ends the run without a notice in that channel',
    (code) => {
      expect(classifyFailure(platform(code))).toMatchObject({
        transient: false,
        code: `slack_${code}`,
        canNotify: false,
      });
    },
  );

  it.each(['token_revoked', 'invalid_auth', 'account_inactive'])(
    'a dead token (%s) cannot post a notice either',
    (code) => {
      expect(classifyFailure(platform(code))).toMatchObject({ transient: false, canNotify: false });
    },
  );

  it('any other refusal by Slack is reported with its code only', () => {
    expect(classifyFailure(platform('invalid_blocks'))).toEqual({
      transient: false,
      code: 'slack_invalid_blocks',
      sentence: 'Slack refused the message (invalid_blocks)',
      canNotify: true,
    });
  });

  it.each([
    ['viam_unavailable', 'Viam could not be reached, even after retrying for hours.'],
    ['slack_http_error', 'Slack did not take the message, even after retrying for hours.'],
    ['store_unavailable', "the app's storage could not be reached, even after retrying for hours."],
    [undefined, 'it kept failing, even after retrying for hours.'],
  ])('retries that ran out after %s become one notice: %s', (code, start) => {
    const failure = retriesExhausted(code);
    expect(failure).toMatchObject({
      transient: false,
      canNotify: true,
      code: `retries_exhausted:${code ?? 'unknown'}`,
    });
    expect(failure.sentence.startsWith(start)).toBe(true);
  });
});
