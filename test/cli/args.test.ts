import { parseCliArgs } from '../../src/cli/args';

describe('parseCliArgs', () => {
  const env = {
    VIAM_ORG_ID: 'env-org',
    VIAM_API_KEY_ID: 'env-key-id',
    VIAM_API_KEY: 'env-key',
    VIAM_APP_URL: 'http://x',
  };

  it('reads credentials from the environment, with flags winning', () => {
    const parsed = parseCliArgs(['usage', '--org-id', 'flag-org'], env);
    expect(parsed).toEqual({
      kind: 'run',
      invocation: {
        command: 'usage',
        invoiceId: undefined,
        out: undefined,
        json: false,
        url: 'http://x',
        orgId: 'flag-org',
        apiKeyId: 'env-key-id',
        apiKey: 'env-key',
      },
    });
  });

  it('takes an invoice id and --out for invoice-pdf only', () => {
    expect(parseCliArgs(['invoice-pdf', 'in_1', '--out', 'a.pdf', '--json'], {})).toMatchObject({
      kind: 'run',
      invocation: { command: 'invoice-pdf', invoiceId: 'in_1', out: 'a.pdf', json: true },
    });
    expect(parseCliArgs(['invoice-pdf', '--out', 'a.pdf'], {})).toMatchObject({ kind: 'error' });
    expect(parseCliArgs(['usage', '--out', 'a.pdf'], {})).toEqual({
      kind: 'error',
      message: '--out only applies to invoice-pdf.',
    });
    expect(parseCliArgs(['usage', 'extra'], {})).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/no arguments/),
    });
  });

  it('answers help, a missing command and an unknown one', () => {
    expect(parseCliArgs(['-h'], {})).toEqual({ kind: 'help' });
    expect(parseCliArgs([], {})).toMatchObject({ kind: 'error', message: expect.stringMatching(/Name a command/) });
    expect(parseCliArgs(['bill'], {})).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/Unknown command "bill"/),
    });
  });

  it('never echoes a flag value in an error', () => {
    const parsed = parseCliArgs(['usage', '--kye=s3cret-value'], {});
    expect(parsed.kind).toBe('error');
    expect(JSON.stringify(parsed)).not.toContain('s3cret-value');
  });
});
