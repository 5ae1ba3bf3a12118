/**
 * Correctly signed but hostile traffic, end to end over HTTP: block_actions, view_submission and event
 * payloads from a fuzzer (known and unknown IDs, fields missing, null or of the wrong type) each get a
 * 2xx or 4xx within Slack's three seconds, never a 5xx, and the app keeps serving. Other methods on the
 * events path get 405 without an error in the log.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import { FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, type SignedResponse, signedPost } from '../../dev/slack-stand-in';
import {
  ACTION_HOME_ACCESS,
  ACTION_HOME_BUDGET,
  ACTION_HOME_CONNECT,
  ACTION_HOME_DIGESTS,
  ACTION_HOME_SHARE_PDF,
  ACTION_SHARE_INVOICE_PDF,
  ACTION_SHOW_BILLING,
  ACTION_SHOW_INVOICES,
  ACTION_SHOW_USAGE,
  VIEW_CONNECT_ORG,
  VIEW_HOME_ACCESS,
  VIEW_HOME_BUDGET,
  VIEW_HOME_CONNECT_ORG,
  VIEW_HOME_DIGESTS,
  VIEW_HOME_SHARE_PDF,
} from '../../src/blocks/ids';
import { CHANNELS, LogCapture, SEED, USERS, useLocalStack } from '../support/stack';

const log = new LogCapture();
const stackOf = useLocalStack({ logDestination: log.destination });

/** Slack's limit: an ack later than this is an error shown to the user. */
const ACK_DEADLINE_MS = 3_000;

const text = fc.string({ maxLength: 30 });
const actionId = fc.oneof(
  fc.constantFrom(
    ACTION_SHOW_USAGE,
    ACTION_SHOW_INVOICES,
    ACTION_SHOW_BILLING,
    ACTION_SHARE_INVOICE_PDF,
    ACTION_HOME_CONNECT,
    ACTION_HOME_ACCESS,
    ACTION_HOME_DIGESTS,
    ACTION_HOME_BUDGET,
    ACTION_HOME_SHARE_PDF,
    'viam_usage.alert_feedback.expected',
  ),
  text,
);
const callbackId = fc.oneof(
  fc.constantFrom(
    VIEW_CONNECT_ORG,
    VIEW_HOME_CONNECT_ORG,
    VIEW_HOME_ACCESS,
    VIEW_HOME_DIGESTS,
    VIEW_HOME_BUDGET,
    VIEW_HOME_SHARE_PDF,
  ),
  text,
);
/** Anything JSON can carry, for fields whose type a hostile sender gets wrong. */
const junk = fc.jsonValue({ maxDepth: 2 });
const team = fc.oneof(fc.constant({ id: SEED.team.id }), fc.record({ id: text }), fc.constant(null), junk);
const user = fc.oneof(
  fc.constant({ id: USERS.ada, team_id: SEED.team.id }),
  fc.constant({ id: USERS.mei, team_id: SEED.team.id }),
  fc.record({ id: text }),
  fc.constant(null),
);
const view = fc.record(
  {
    id: text,
    type: fc.constantFrom('home', 'modal', 'other'),
    callback_id: callbackId,
    private_metadata: fc.oneof(
      text,
      junk.map((value) => JSON.stringify(value)),
    ),
    state: fc.oneof(fc.constant({ values: {} }), fc.record({ values: fc.dictionary(text, junk) }), junk),
  },
  { requiredKeys: ['type'] },
);
/** Fields filled at send time with a real response URL or trigger of the stand-in. */
const withUrls = fc.record({ responseUrl: fc.boolean(), trigger: fc.boolean() });

const blockActions = fc.record(
  {
    type: fc.constant('block_actions'),
    team,
    user,
    channel: fc.oneof(fc.constant(null), fc.constant({ id: CHANNELS.general }), fc.record({ id: text }), junk),
    container: fc.oneof(
      fc.constant(null),
      fc.record({ type: fc.constantFrom('message', 'view'), message_ts: text, view_id: text }),
    ),
    message: fc.oneof(fc.constant(null), fc.record({ ts: text, text }), junk),
    view,
    actions: fc.oneof(
      fc.array(
        fc.record(
          {
            type: fc.constantFrom('button', 'static_select', 'overflow', 'datepicker'),
            action_id: actionId,
            block_id: text,
            value: fc.oneof(
              text,
              junk.map((value) => JSON.stringify(value)),
            ),
            selected_option: fc.record({ value: text }),
            action_ts: text,
          },
          { requiredKeys: ['action_id'] },
        ),
        { maxLength: 3 },
      ),
      junk,
    ),
  },
  { requiredKeys: ['type', 'actions'] },
);

const viewSubmission = fc.record(
  { type: fc.constant('view_submission'), team, user, view, response_urls: fc.oneof(fc.constant([]), junk) },
  { requiredKeys: ['type', 'view'] },
);

/** Event types with their fields; uninstall and revocation only for teams that are not the seeded one. */
const event = fc.oneof(
  fc.record({
    type: fc.constant('app_home_opened'),
    user: fc.oneof(fc.constant(USERS.ada), text),
    tab: fc.oneof(fc.constant('home'), text),
    channel: text,
  }),
  fc.record({ type: fc.constantFrom('message', 'member_joined_channel', 'app_mention'), user: text, text }),
  fc.record({ type: text }),
  junk.map((value) => ({ type: 'app_home_opened', view: value })),
);
const eventCallback = fc.oneof(
  fc.record({
    type: fc.constant('event_callback'),
    team_id: fc.oneof(fc.constant(SEED.team.id), text),
    api_app_id: text,
    event,
    event_id: text,
    event_time: fc.integer({ min: 0 }),
  }),
  fc.record({
    type: fc.constant('event_callback'),
    team_id: text.map((id) => `TX${id}`),
    event: fc.record({ type: fc.constantFrom('app_uninstalled', 'tokens_revoked'), tokens: junk }),
    event_id: text,
  }),
);

function sendInteraction(payload: Record<string, unknown>): Promise<SignedResponse> {
  const stack = stackOf();
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return signedPost(`${stack.appUrl}/slack/events`, body, FORM_CONTENT_TYPE, stack.slack.app.signingSecret);
}

function sendEventBody(payload: Record<string, unknown>): Promise<SignedResponse> {
  const stack = stackOf();
  return signedPost(
    `${stack.appUrl}/slack/events`,
    JSON.stringify(payload),
    JSON_CONTENT_TYPE,
    stack.slack.app.signingSecret,
  );
}

function expectAnswered(response: SignedResponse): void {
  expect(response.status).toBeGreaterThanOrEqual(200);
  expect(response.status).toBeLessThan(500);
  expect(response.ackMs).toBeLessThan(ACK_DEADLINE_MS);
}

function rawRequest(appUrl: string, method: string): Promise<{ status: number; allow?: string }> {
  const target = new URL('/slack/events', appUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: target.hostname, port: target.port, path: target.pathname, method }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('signed hostile payloads', () => {
  it('block_actions: always a 2xx or 4xx in time, whatever the IDs and fields', async () => {
    const stack = stackOf();
    await fc.assert(
      fc.asyncProperty(blockActions, withUrls, async (payload, urls) => {
        expectAnswered(
          await sendInteraction({
            ...payload,
            ...(urls.responseUrl ? { response_url: stack.slack.responseUrl() } : {}),
            ...(urls.trigger ? { trigger_id: stack.slack.triggerId() } : {}),
          }),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('view_submission: always a 2xx or 4xx in time', async () => {
    const stack = stackOf();
    await fc.assert(
      fc.asyncProperty(viewSubmission, async (payload) => {
        expectAnswered(await sendInteraction({ ...payload, trigger_id: stack.slack.triggerId() }));
      }),
      { numRuns: 100 },
    );
  });

  it('events: always a 2xx or 4xx in time', async () => {
    await fc.assert(
      fc.asyncProperty(eventCallback, async (payload) => {
        expectAnswered(await sendEventBody(payload));
      }),
      { numRuns: 100 },
    );
  });

  it('left nothing unacknowledged, and the app still answers', async () => {
    const stack = stackOf();
    expect(log.entries().filter((entry) => String(entry.msg).includes('not acknowledged'))).toEqual([]);
    expect((await stack.command('help')).answer?.body.text).toMatch(/^How to use/);
  });

  it.each(['GET', 'HEAD', 'PUT'])('%s on the events path: 405, and nothing in the log', async (method) => {
    const stack = stackOf();
    const before = log.entries().length;
    const answer = await rawRequest(stack.appUrl, method);
    expect(answer).toEqual({ status: 405, allow: 'POST' });
    expect(
      log
        .entries()
        .slice(before)
        .filter((entry) => Number(entry.level) >= 40),
    ).toEqual([]);
  });
});
