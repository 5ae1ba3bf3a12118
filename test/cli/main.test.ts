import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { startConnectProxy } from '../../dev/proxy/connect-proxy';
import { EXIT_API_ERROR, EXIT_OK, EXIT_USAGE, runCli } from '../../src/cli/main';

describe('viam-billing CLI against the emulator', () => {
  let emulator: RunningEmulator;
  let outDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startEmulator();
    const org = emulator.orgs[0];
    if (!org) throw new Error('the default fixture has no org');
    env = {
      VIAM_APP_URL: emulator.url,
      VIAM_ORG_ID: org.orgId,
      VIAM_API_KEY_ID: org.apiKeyId,
      VIAM_API_KEY: org.apiKey,
    };
  });
  beforeEach(async () => {
    emulator.knobs.reset();
    outDir = await mkdtemp(path.join(tmpdir(), 'cli-test-'));
  });
  afterEach(async () => {
    await rm(outDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await emulator.stop();
  });

  async function run(argv: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      env: { ...env, ...extraEnv },
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
    });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  it('prints usage as a table with a subtotal', async () => {
    const result = await run(['usage']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toMatch(/Source\s+Category\s+Line\s+Cost/);
    expect(result.stdout).toMatch(/Month-to-date subtotal: \$[\d,]+\.\d\d/);
    expect(result.stdout).toMatch(/By category:/);
    expect(result.stderr).toBe('');
  });

  it('prints machine-readable JSON with --json', async () => {
    const result = await run(['invoices', '--json']);
    expect(result.code).toBe(EXIT_OK);
    const parsed = JSON.parse(result.stdout) as { outstandingBalance: number; invoices: Array<{ id: string }> };
    expect(parsed.outstandingBalance).toBeGreaterThan(0);
    expect(parsed.invoices.length).toBeGreaterThanOrEqual(12);
  });

  it('prints billing info', async () => {
    const result = await run(['billing-info']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toMatch(/Payment method: .*ending in \d{4}/);
    expect(result.stdout).toMatch(/Billing email:/);
  });

  it('reads Viam through HTTPS_PROXY like the app, and refuses a bad proxy URL with one sentence', async () => {
    const proxy = await startConnectProxy({ hosts: { '127.0.0.1': '127.0.0.1' } });
    try {
      const through = await run(['check'], { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url });
      expect(through.code).toBe(EXIT_OK);
      expect(proxy.connects).toContainEqual({ target: `127.0.0.1:${emulator.port}`, status: 200 });
    } finally {
      await proxy.stop();
    }
    const bad = await run(['check'], { HTTP_PROXY: 'ftp://proxy.corp' });
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr).toMatch(/^viam-billing: HTTP_PROXY must be an http:\/\/ proxy URL/);
  });

  it('checks the credentials', async () => {
    const result = await run(['check']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toMatch(/^OK: key …[0-9a-f]{4} can read billing/);
  });

  it('saves an invoice PDF byte-identical, and nothing else in the folder', async () => {
    const invoices = JSON.parse((await run(['invoices', '--json'])).stdout) as { invoices: Array<{ id: string }> };
    const invoiceId = invoices.invoices[0]?.id as string;
    const file = path.join(outDir, 'invoice.pdf');

    const result = await run(['invoice-pdf', invoiceId, '--out', file]);

    expect(result.code).toBe(EXIT_OK);
    const saved = await readFile(file);
    expect(saved.subarray(0, 5).toString()).toBe('%PDF-');
    expect(saved.subarray(-6).toString()).toContain('%%EOF');
    expect(await readdir(outDir)).toEqual(['invoice.pdf']);
    const again = path.join(outDir, 'again.pdf');
    await run(['invoice-pdf', invoiceId, '--out', again]);
    const hash = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');
    expect(hash(await readFile(again))).toBe(hash(saved));
  });

  it('leaves no file behind when the stream is cut midway', async () => {
    const invoices = JSON.parse((await run(['invoices', '--json'])).stdout) as { invoices: Array<{ id: string }> };
    const invoiceId = invoices.invoices[0]?.id as string;
    emulator.knobs.setPdfSize(invoiceId, 2 * 1024 * 1024);
    emulator.knobs.cutPdfStreamAfter(3, status.INTERNAL);

    const result = await run(['invoice-pdf', invoiceId, '--out', path.join(outDir, 'cut.pdf')]);

    expect(result.code).toBe(EXIT_API_ERROR);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('exits 1 with one line for a key Viam rejects, never printing the key', async () => {
    const result = await run(['usage'], { VIAM_API_KEY: 'definitely-not-the-key' });
    expect(result.code).toBe(EXIT_API_ERROR);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^viam-billing: Viam did not accept the API key/);
    expect(result.stderr).not.toContain('definitely-not-the-key');
  });

  it('exits 1 for an unknown invoice', async () => {
    const result = await run(['invoice-pdf', 'in_nope', '--out', path.join(outDir, 'x.pdf')]);
    expect(result.code).toBe(EXIT_API_ERROR);
    expect(result.stderr).toMatch(/no invoice in_nope .*Check the invoice ID/);
  });

  it('exits 2 for bad usage: missing credentials, malformed IDs, unknown commands and flags', async () => {
    const missing = await run(['usage'], { VIAM_API_KEY: '', VIAM_ORG_ID: '' });
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/VIAM_ORG_ID \(or --org-id\), VIAM_API_KEY \(or --key\)/);

    const malformed = await run(['usage', '--org-id', 'acme']);
    expect(malformed.code).toBe(EXIT_USAGE);
    expect(malformed.stderr).toMatch(/must be a UUID/);

    expect((await run(['frobnicate'])).code).toBe(EXIT_USAGE);
    expect((await run(['usage', '--kye=secret'])).stderr).not.toContain('secret');
    expect((await run(['invoice-pdf', 'in_1'])).stderr).toMatch(/--out/);
    expect(emulator.knobs.callCount('Authenticate')).toBe(0);
  });

  it('runs as a process the way `npm run cli` starts it, with its exit code', async () => {
    // Asynchronous on purpose: the emulator answers from this process's event loop.
    const { execFile } = await import('node:child_process');
    const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
    const runProcess = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(tsx, ['src/cli/main.ts', ...args], {
          cwd: path.join(__dirname, '../..'),
          env: { ...process.env, ...env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout?.on('data', (chunk: string) => {
          stdout += chunk;
        });
        child.stderr?.on('data', (chunk: string) => {
          stderr += chunk;
        });
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

    const ok = await runProcess(['check']);
    expect(ok.code).toBe(EXIT_OK);
    expect(ok.stdout).toMatch(/^OK: key/);
    const bad = await runProcess(['usage', '--org-id', 'nope']);
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toMatch(/^Usage: viam-billing <command>/);
  });
});
