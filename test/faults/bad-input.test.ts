/**
 * Bad input from outside, end to end over signed HTTP: tampered, replayed and malformed Slack
 * signatures and timestamps, bodies too large or not what they claim to be, arbitrary command text and
 * modal values from a fuzzer, and an invoice ID that belongs to another org. Every one gets a 401/400/413
 * with no listener run, or a clear answer; never a crash, and never a secret in what comes back.
 *
 * Already covered elsewhere (see README.md here): a wrong signing secret and a timestamp six minutes old
 * (test/app.test.ts); the parser and the modal's inputs as properties
 * (test/handlers/commands/parse.property.test.ts, test/blocks/connect-modal.property.test.ts).
 */
import { request } from 'node:http';
import fc from 'fast-check';
import {
  FORM_CONTENT_TYPE,
  JSON_CONTENT_TYPE,
  nowSeconds,
  type SignedResponse,
  signedPost,
  slackSignature,
  slashCommandFields,
} from '../../dev/slack-stand-in';
import { ACTION_SHARE_INVOICE_PDF, VIEW_CONNECT_ORG } from '../../src/blocks/ids';
import { limitViolations } from '../../src/blocks/limits';
import type { SlackMessage } from '../../src/blocks/message';
import {
  ackJson,
  CHANNELS,
  connectValues,
  LogCapture,
  messageText,
  SEED,
  USERS,
  useLocalStack,
  workspaceOf,
} from '../support/stack';
import { expectNoSecret } from './support/secrets';

const log = new LogCapture();
const stackOf = useLocalStack({ logDestination: log.destination });

/** Rivet Farms' latest invoice: real, but not of the org this workspace connected (Acme, as `default`). */
const OTHER_ORGS_INVOICE = 'in_1Q9puAIfkSj7oJbsy2lWSHlR';

/** A POST to the app's Slack endpoint with exactly these headers and body, signed or not. */
function rawPost(appUrl: string, body: string | Buffer, headers: Record<string, string>): Promise<SignedResponse> {
  const target = new URL('/slack/events', appUrl);
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        headers: { 'content-length': payload.length, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
            ackMs: performance.now() - started,
          }),
        );
      },
    );
    // The app may answer (413, 401) before reading everything; that is fine.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    req.end(payload);
  });
}

/** A slash command body that would add Linus to the access list, answered on a fresh response URL. */
function accessAddBody(): { body: string; responseUrl: string } {
  const responseUrl = stackOf().slack.responseUrl();
  const fields = slashCommandFields({
    team: SEED.team.id,
    user: USERS.ada,
    channel: CHANNELS.billing,
    text: `access add <@${USERS.linus}|linus>`,
    responseUrl,
  });
  return { body: new URLSearchParams(fields).toString(), responseUrl };
}

/** Proves nothing ran for a refused request: a good command right after is answered, the refused one never was. */
async function expectNothingRan(responseUrl: string): Promise<void> {
  const stack = stackOf();
  const control = await stack.command('help');
  expect(control.answer?.body.text).toMatch(/^How to use/);
  expect(stack.slack.responseAttempts(responseUrl)).toEqual([]);
  expect((await workspaceOf(stack)).viewers).toEqual([]);
}

describe('Slack signatures and timestamps', () => {
  const secret = () => stackOf().slack.app.signingSecret;

  it.each<[string, (body: string) => Record<string, string> | { body: string; headers: Record<string, string> }]>([
    [
      'a body changed after signing',
      (body) => {
        const at = nowSeconds();
        return {
          body: body.replace('linus', 'mallory'),
          headers: { 'x-slack-request-timestamp': String(at), 'x-slack-signature': slackSignature(secret(), at, body) },
        };
      },
    ],
    [
      'a signature replayed with a fresh timestamp',
      (body) => ({
        'x-slack-request-timestamp': String(nowSeconds()),
        'x-slack-signature': slackSignature(secret(), nowSeconds() - 30, body),
      }),
    ],
    [
      'a timestamp ten minutes in the future',
      (body) => {
        const at = nowSeconds() + 600;
        return { 'x-slack-request-timestamp': String(at), 'x-slack-signature': slackSignature(secret(), at, body) };
      },
    ],
    [
      'a timestamp that is not a number',
      (body) => ({ 'x-slack-request-timestamp': 'soon', 'x-slack-signature': slackSignature(secret(), 0, body) }),
    ],
    ['no signature', () => ({ 'x-slack-request-timestamp': String(nowSeconds()) })],
    ['no timestamp', (body) => ({ 'x-slack-signature': slackSignature(secret(), nowSeconds(), body) })],
    [
      'another signature version',
      (body) => {
        const at = nowSeconds();
        return {
          'x-slack-request-timestamp': String(at),
          'x-slack-signature': slackSignature(secret(), at, body).replace(/^v0=/, 'v1='),
        };
      },
    ],
  ])('%s: 401, and no listener runs', async (_case, forge) => {
    const stack = stackOf();
    const { body, responseUrl } = accessAddBody();
    const forged = forge(body);
    const sent = 'body' in forged ? forged : { body, headers: forged };
    const ack = await rawPost(stack.appUrl, sent.body as string, {
      'content-type': FORM_CONTENT_TYPE,
      ...(sent.headers as Record<string, string>),
    });
    expect(ack.status).toBe(401);
    expectNoSecret(ack.body);
    await expectNothingRan(responseUrl);
  });

  it('an exact copy of a signed request (a replay inside the five minutes) is refused; the original ran once', async () => {
    const stack = stackOf();
    const { body, responseUrl } = accessAddBody();
    const at = nowSeconds();
    const first = await signedPost(`${stack.appUrl}/slack/events`, body, FORM_CONTENT_TYPE, secret(), at);
    expect(first.status).toBe(200);
    await stack.slack.waitForResponse(responseUrl, undefined, 5_000);

    const replayed = await signedPost(`${stack.appUrl}/slack/events`, body, FORM_CONTENT_TYPE, secret(), at);
    expect(replayed.status).toBe(401);
    await stack.app.services.inFlight.drain(5_000);
    expect(stack.slack.responses(responseUrl)).toHaveLength(1);
    expect(log.find('refused a Slack request').map((entry) => entry.reason)).toContain('replayed');
    // Undo the one grant the original made, for the tests after this one.
    await stack.app.services.store.workspaces.revokeViewer({ teamId: SEED.team.id }, USERS.linus);
  });
});

describe('bodies', () => {
  it('a body over 4 MB is refused with 413 before any listener runs, and the app keeps serving', async () => {
    const stack = stackOf();
    const { body, responseUrl } = accessAddBody();
    const padded = `${body}&padding=${'x'.repeat(5 * 1024 * 1024)}`;
    const at = nowSeconds();
    const ack = await rawPost(stack.appUrl, padded, {
      'content-type': FORM_CONTENT_TYPE,
      'x-slack-request-timestamp': String(at),
      'x-slack-signature': slackSignature(stack.slack.app.signingSecret, at, padded),
    });
    expect(ack.status).toBe(413);
    await expectNothingRan(responseUrl);
  });

  it.each([
    ['JSON that does not parse', JSON_CONTENT_TYPE, '{"type":"event_callback","event":'],
    ['a form whose payload is not JSON', FORM_CONTENT_TYPE, 'payload=%7Bnot-json'],
    ['a JSON array', JSON_CONTENT_TYPE, '[1,2,3]'],
    ['an unknown content type', 'application/x-unknown', 'hello'],
    ['an empty body', FORM_CONTENT_TYPE, ''],
  ])('correctly signed %s: a 4xx, never a crash, and the app keeps serving', async (_case, contentType, body) => {
    const stack = stackOf();
    const at = nowSeconds();
    const ack = await rawPost(stack.appUrl, body, {
      'content-type': contentType,
      'x-slack-request-timestamp': String(at),
      'x-slack-signature': slackSignature(stack.slack.app.signingSecret, at, body),
    });
    expect(ack.status).toBeGreaterThanOrEqual(400);
    expect(ack.status).toBeLessThan(500);
    expectNoSecret(ack.body);
    expect((await stack.command('help')).answer?.body.text).toMatch(/^How to use/);
  });
});

describe('arbitrary input from a fuzzer through the running app', () => {
  const commandText = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc
      .array(
        fc.constantFrom(
          'usage',
          'invoice',
          'digest',
          'access',
          'budget',
          '--org',
          'share',
          '"',
          '<@U1>',
          '<#C1|x>',
          '&',
        ),
        { maxLength: 8 },
      )
      .map((words) => words.join(' ')),
    fc.string({ minLength: 1, maxLength: 3 }).map((unit) => unit.repeat(2_000)),
  );

  it('any command text gets an ack at once and one answer Slack accepts, with no secret in it', async () => {
    const stack = stackOf();
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        // Slack escapes &, < and > in what people type. Mei has no access, so nothing here changes anything.
        const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        const { ack, answer } = await stack.command(escaped, { user: USERS.mei, timeoutMs: 5_000 });
        expect(ack.status).toBe(200);
        const body = answer?.body as SlackMessage | undefined;
        if (!body) throw new Error('no answer');
        expect(limitViolations({ text: body.text, blocks: body.blocks ?? [] })).toEqual([]);
        expectNoSecret(JSON.stringify(body));
      }),
      { numRuns: 30 },
    );
    expect(log.find('request failed').filter((entry) => entry.level === 50)).toEqual([]);
  });

  it('any connect-modal values are answered with inline errors that never repeat the key, and nothing is stored', async () => {
    const stack = stackOf();
    const field = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ minLength: 1, maxLength: 3 }).map((unit) => unit.repeat(3_000)),
      fc.constantFrom('', ' ', 'a1b2c3d4-0000-4000-8000-123456789abc'),
    );
    const apiKey = fc.string({ unit: 'grapheme', minLength: 8, maxLength: 80 }).map((key) => `sk-${key}`);
    await fc.assert(
      fc.asyncProperty(field, field, apiKey, field, async (orgId, apiKeyId, key, label) => {
        const ack = await stack.submitView(VIEW_CONNECT_ORG, connectValues({ orgId, apiKeyId, apiKey: key, label }));
        expect(ack.status).toBe(200);
        const answer = ackJson(ack.body);
        expect(answer.response_action).toBe('errors');
        expect(Object.keys(answer.errors as object).length).toBeGreaterThan(0);
        expectNoSecret(ack.body, [key]);
      }),
      { numRuns: 25 },
    );
    expect((await workspaceOf(stack)).orgs.map((org) => org.label)).toEqual(['default']);
  });
});

describe('an invoice of another org', () => {
  it('by command: "no such invoice for this organization", and nothing of the other org is shown or shared', async () => {
    const stack = stackOf();
    const { answer } = await stack.command(`invoice ${OTHER_ORGS_INVOICE}`);
    expect(answer?.body.text).toBe(
      `Viam has no invoice ${OTHER_ORGS_INVOICE} for this organization. Check the invoice ID and try again.`,
    );
    expect(messageText(answer?.body)).not.toMatch(/rivet/i);
    expect(stack.slack.calls('files.getUploadURLExternal')).toEqual([]);
  });

  it('by a crafted Share PDF button: the same answer, and nothing is uploaded', async () => {
    const stack = stackOf();
    const value = JSON.stringify({ org: 'default', invoice: OTHER_ORGS_INVOICE });
    const pressed = await stack.pressButton(ACTION_SHARE_INVOICE_PDF, value);
    expect(pressed.answer?.body.text).toBe(
      `Viam has no invoice ${OTHER_ORGS_INVOICE} for this organization. Check the invoice ID and try again.`,
    );
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('naming an org that is not connected: the connected ones are listed and Viam is not asked', async () => {
    const stack = stackOf();
    const { answer } = await stack.command(`invoice ${OTHER_ORGS_INVOICE} --org rivet`);
    expect(answer?.body.text).toMatch(/^No connected org is called `rivet`\. Connected: `default`\./);
    expect(stack.emulator.knobs.callCount('GetInvoicePdf')).toBe(0);
  });
});
