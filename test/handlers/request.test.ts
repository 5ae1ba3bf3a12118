/**
 * How failures reach the user, end to end: one friendly sentence with a request ID on the response
 * URL, the details (never a secret) in the log under the same ID, and the next request unaffected.
 */
import { startEmulator } from '../../dev/emulator';
import { FIXED_NOW, LogCapture, messageText, status, useLocalStack, waitUntilViamAnswers } from '../support/stack';

const log = new LogCapture();
const stackOf = useLocalStack({ logDestination: log.destination });

function requestIdIn(body: unknown): string {
  const id = /Request ID `([0-9a-f]{8})`/.exec(messageText(body))?.[1];
  if (!id) throw new Error(`no request ID in ${JSON.stringify(body)}`);
  return id;
}

describe('Viam failures as the user sees them', () => {
  it('a burst of UNAVAILABLE: one sentence with a request ID; the next request works', async () => {
    const stack = stackOf();
    stack.emulator.knobs.failNext('GetCurrentMonthUsage', 3, status.UNAVAILABLE);
    const { answer } = await stack.command('usage');
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(answer?.body.text).toBe('Viam could not be reached just now. Try again in a minute.');
    expect(answer?.body.blocks).toHaveLength(2);
    const requestId = requestIdIn(answer?.body);
    expect(stack.slack.responses(answer?.id ?? '')).toHaveLength(1);

    const failed = log.find('request failed').filter((entry) => entry.requestId === requestId);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 40, listener: 'command' });

    const next = await stack.command('usage');
    expect(messageText(next.answer?.body)).toContain('Usage details · default');
    expect(messageText(next.answer?.body)).not.toContain('could not be reached');
  });

  it('a saved key that Viam revoked: an admin must reconnect', async () => {
    const stack = stackOf();
    const org = stack.emulator.orgs[0];
    if (!org) throw new Error('the emulator fixture has no org');
    stack.emulator.knobs.revokeKey(org.apiKeyId);
    const { answer } = await stack.command('billing');
    expect(answer?.body.text).toBe(
      'Viam did not accept the API key. An org owner must create a new key and reconnect it.',
    );
    requestIdIn(answer?.body);
    const overview = await stack.command('');
    expect(overview.answer?.body.text).toBe(
      'Viam did not accept the API key. An org owner must create a new key and reconnect it.',
    );
  });

  it('Viam stopped: a friendly sentence; once it is back the next request works', async () => {
    const stack = stackOf();
    const port = stack.emulator.port;
    await stack.emulator.stop();
    const down = await stack.command('invoices', { timeoutMs: 8_000 });
    expect(down.ack.ackMs).toBeLessThan(1_000);
    expect(down.answer?.body.text).toBe('Viam could not be reached just now. Try again in a minute.');
    requestIdIn(down.answer?.body);

    const revived = await startEmulator({ port, now: () => FIXED_NOW });
    try {
      // grpc-js waits out its reconnect backoff first; see waitUntilViamAnswers.
      expect(await waitUntilViamAnswers(stack)).toBeLessThan(10_000);
      const up = await stack.command('invoices', { timeoutMs: 8_000 });
      expect(up.answer?.body.text).toMatch(/^Viam invoices for default: outstanding balance \$519\.65\./);
    } finally {
      await revived.stop();
    }
  });
});
