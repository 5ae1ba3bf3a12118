/**
 * The billing client's TLS path, end to end: the emulator serves gRPC over TLS with certificates from a
 * CA made for the test, and the app's client runs in its own process with that CA in
 * NODE_EXTRA_CA_CERTS, as a company CA would be configured. A good handshake reads billing; a wrong CA,
 * an expired certificate and a certificate for another host each fail at once with one sentence.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '../../dev/emulator/emulator';
import { createTestCa, type IssueOptions, type TestCa } from '../../dev/tls/test-ca';

const PROBE = path.join(__dirname, 'support', 'read-billing-info.ts');
const DAY_MS = 24 * 3600 * 1000;

interface ProbeResult {
  ok: boolean;
  billingEmail?: string;
  kind?: string;
  message?: string;
  ms?: number;
}

let ca: TestCa;
let caFile: string;
let otherCaFile: string;

beforeAll(async () => {
  ca = await createTestCa();
  caFile = ca.writeCa(mkdtempSync(path.join(tmpdir(), 'tls-ca-')));
  otherCaFile = (await createTestCa('Some other CA')).writeCa(mkdtempSync(path.join(tmpdir(), 'tls-other-')));
});

/** Serves the emulator with a certificate issued as `issue` says, and reads billing from a fresh process. */
async function readOverTls(issue: IssueOptions, trusted: () => string, host = 'localhost'): Promise<ProbeResult> {
  let emulator: RunningEmulator | undefined;
  try {
    emulator = await startEmulator({ tls: await ca.issue(issue) });
    const org = emulator.orgs[0];
    if (!org) throw new Error('the emulator has no demo org');
    const { stdout } = await promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', PROBE], {
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: trusted(),
        NODE_NO_WARNINGS: '1',
        VIAM_APP_URL: `https://${host}:${emulator.port}`,
        VIAM_ORG_ID: org.orgId,
        VIAM_API_KEY_ID: org.apiKeyId,
        VIAM_API_KEY: org.apiKey,
      },
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ProbeResult;
  } finally {
    await emulator?.stop();
  }
}

describe('the billing client over TLS', () => {
  it('reads billing through a good handshake with a CA trusted through NODE_EXTRA_CA_CERTS', async () => {
    expect(await readOverTls({}, () => caFile)).toEqual({ ok: true, billingEmail: expect.stringContaining('@') });
  });

  it('also by IP address, when the certificate names it', async () => {
    expect(await readOverTls({ hosts: ['127.0.0.1'] }, () => caFile, '127.0.0.1')).toMatchObject({ ok: true });
  });

  it.each<[string, IssueOptions, () => string, RegExp]>([
    [
      'a CA this machine does not trust',
      {},
      () => otherCaFile,
      /not from a CA this machine trusts; if your network re-signs TLS, add its CA file with NODE_EXTRA_CA_CERTS\.$/,
    ],
    [
      'an expired certificate',
      { notBefore: new Date(Date.now() - 10 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) },
      () => caFile,
      /has expired or is not valid yet; check this machine’s clock/,
    ],
    [
      'a certificate for another host',
      { hosts: ['billing.other.example'] },
      () => caFile,
      /for another host name; check the host in VIAM_APP_URL\.$/,
    ],
  ])('refuses %s with one sentence, without retrying', async (_case, issue, trusted, sentence) => {
    const result = await readOverTls(issue, trusted);
    expect(result).toMatchObject({ ok: false, kind: 'tls', message: expect.stringMatching(sentence) });
    // One sentence: no full stop before the last character.
    expect(result.message?.slice(0, -1)).not.toMatch(/\.\s/);
    // Retries back off for seconds; a handshake that cannot succeed is reported at once.
    expect(result.ms).toBeLessThan(2_000);
  });
});
