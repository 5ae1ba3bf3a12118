/**
 * Every listener in one realistic session, with the app's logs captured at debug level: connect
 * through the modal (good and bad keys), read, share a PDF, hit Viam failures. No secret may show up
 * in a log line, a response_url body, an ack, a Web API call's arguments or an error text.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ackJson, connectValues, LogCapture, messageText, status, USERS, useLocalStack } from '../support/stack';

const log = new LogCapture();
const stackOf = useLocalStack({ logDestination: log.destination });

describe('a realistic session leaks no secret', () => {
  it('keeps Viam keys, the bot token, the signing secret and the encryption key out of everything observable', async () => {
    const stack = stackOf();
    const [acme, rivet, sandbox] = stack.emulator.orgs;
    if (!acme || !rivet || !sandbox) throw new Error('the emulator fixture has fewer than three orgs');
    const acks: string[] = [];
    const wrongSecret = 'wrong-secret-that-must-not-leak-0451';

    // Connect: a wrong secret, another org's key, Viam down, then a good key.
    const attempts = [
      { orgId: rivet.orgId, apiKeyId: rivet.apiKeyId, apiKey: wrongSecret, label: 'farms' },
      { orgId: rivet.orgId, apiKeyId: sandbox.apiKeyId, apiKey: sandbox.apiKey, label: 'farms' },
    ];
    for (const attempt of attempts) {
      const ack = await stack.submitView('viam_usage.connect_org', connectValues(attempt));
      expect(ackJson(ack.body).response_action).toBe('errors');
      acks.push(ack.body);
    }
    stack.emulator.knobs.failNext('GetOrgBillingInformation', 3, status.UNAVAILABLE);
    const down = await stack.submitView(
      'viam_usage.connect_org',
      connectValues({ orgId: rivet.orgId, apiKeyId: rivet.apiKeyId, apiKey: rivet.apiKey, label: 'farms' }),
    );
    expect(ackJson(down.body).response_action).toBe('errors');
    acks.push(down.body);
    const good = await stack.submitView(
      'viam_usage.connect_org',
      connectValues({ orgId: rivet.orgId, apiKeyId: rivet.apiKeyId, apiKey: rivet.apiKey, label: 'farms' }),
    );
    expect(ackJson(good.body).response_action).toBe('update');
    acks.push(good.body);

    // Reading, sharing, and the failures users meet.
    const answers = [];
    for (const text of ['', 'usage --org farms', 'invoices', 'billing share', 'orgs', 'access list', 'help']) {
      answers.push((await stack.command(text)).answer);
    }
    answers.push((await stack.command('', { user: USERS.linus })).answer);
    await stack.command('invoice in_1Q5dwGLzZ8juh4cDOAY1alln', { waitForAnswer: false });
    await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
    stack.emulator.knobs.failNext('GetInvoicesSummary', 3, status.UNAVAILABLE);
    answers.push((await stack.command('invoices')).answer);
    stack.emulator.knobs.revokeKey(acme.apiKeyId);
    answers.push((await stack.command('billing')).answer);
    stack.emulator.knobs.expireAllTokens();
    answers.push((await stack.command('usage --org farms')).answer);
    const connect = await stack.command('connect', { waitForAnswer: false });
    acks.push(connect.ack.body);
    await stack.slack.waitForCall('views.open');
    expect(answers.every((answer) => answer !== undefined)).toBe(true);

    const secrets: Record<string, string> = {
      'a Viam API key (from the environment)': acme.apiKey,
      'a Viam API key (connected in the modal)': rivet.apiKey,
      'a Viam API key (of another org)': sandbox.apiKey,
      'a wrong secret typed into the modal': wrongSecret,
      'the bot token': stack.config.slack.botToken as string,
      'the signing secret': stack.slack.app.signingSecret,
      'the encryption key': stack.config.store.encryptionKey ?? '',
    };
    const surfaces: Record<string, string> = {
      logs: log.lines.join(''),
      'response_url bodies': JSON.stringify(stack.slack.responseAttempts().map((response) => response.body)),
      acks: acks.join('\n'),
      // The token each call carried is its Authorization header; the arguments must be clean.
      'Web API call arguments': JSON.stringify(stack.slack.calls().map((call) => call.args)),
      'messages and files': JSON.stringify([
        stack.slack.messagesIn('C0BILLING0'),
        stack.slack.uploadedFiles().map((file) => ({ ...file, bytes: undefined })),
      ]),
      'opened views': JSON.stringify(stack.slack.views()),
      'error texts': answers.map((answer) => messageText(answer?.body)).join('\n'),
    };
    expect(log.lines.length).toBeGreaterThan(50);
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret.length).toBeGreaterThan(8);
      for (const [where, text] of Object.entries(surfaces)) {
        if (text.includes(secret)) throw new Error(`${what} appears in ${where}`);
      }
    }
    // Keys are not stored in the clear either.
    const stored = await readFile(path.join(stack.dataDir, 'store.sqlite'));
    for (const key of [acme.apiKey, rivet.apiKey]) expect(stored.includes(Buffer.from(key))).toBe(false);

    // The session did exercise what it claims to: failures were logged with their request IDs.
    expect(log.find('request failed').length).toBeGreaterThanOrEqual(2);
    expect(log.find('connect: Viam refused the key')).toHaveLength(3);
    expect(log.find('org connected')).toHaveLength(1);
  });
});
