import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { credentials } from '@grpc/grpc-js';
import { loadFixture } from '../../../dev/emulator/fixture';
import { AuthServiceClient } from '../../../src/gen/proto/rpc/v1/auth';
import { BillingServiceClient } from '../../../src/gen/viam/app/v1/billing';
import { authenticate, bearer, call } from './grpc-clients';

const ROOT = path.resolve(__dirname, '../../..');
const TSX_CLI = require.resolve('tsx/cli');

/** Runs `tsx dev/emulator/main.ts`, as `npm run emulator` does. */
function runEmulatorCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [TSX_CLI, 'dev/emulator/main.ts', ...args], { cwd: ROOT });
}

function exitOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

function envLines(child: ChildProcessWithoutNullStreams): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (data: Buffer) => {
      seen += data.toString();
      const values = Object.fromEntries([...seen.matchAll(/^(VIAM_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      if (Object.keys(values).length === 4) resolve(values);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited early with ${code}: ${seen}`)));
  });
}

describe('npm run emulator (dev/emulator/main.ts)', () => {
  it('prints the four .env lines of the main demo org, serves them, and stops on SIGTERM', async () => {
    const child = runEmulatorCli(['--port', '0']);
    const exited = exitOf(child);
    try {
      const env = await envLines(child);
      const main = loadFixture().orgs[0];
      expect(Object.keys(env)).toEqual(['VIAM_APP_URL', 'VIAM_ORG_ID', 'VIAM_API_KEY_ID', 'VIAM_API_KEY']);
      expect(env.VIAM_APP_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(env).toMatchObject({
        VIAM_ORG_ID: main?.orgId,
        VIAM_API_KEY_ID: main?.apiKeys[0]?.id,
        VIAM_API_KEY: main?.apiKeys[0]?.key,
      });

      const target = (env.VIAM_APP_URL ?? '').replace('http://', '');
      const auth = new AuthServiceClient(target, credentials.createInsecure());
      const billing = new BillingServiceClient(target, credentials.createInsecure());
      try {
        const token = await authenticate(
          { auth, billing, close() {} },
          {
            apiKeyId: env.VIAM_API_KEY_ID ?? '',
            apiKey: env.VIAM_API_KEY ?? '',
          },
        );
        const usage = await call(
          billing,
          billing.getCurrentMonthUsage,
          { orgId: env.VIAM_ORG_ID ?? '' },
          bearer(token),
        );
        expect(usage.resourceUsageCostsBySource.length).toBeGreaterThan(0);
      } finally {
        auth.close();
        billing.close();
      }
    } finally {
      child.kill('SIGTERM');
    }
    const { code, stdout } = await exited;
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((line) => line.startsWith('VIAM_'))).toHaveLength(4);
  });

  it('with --tls, serves TLS and prints the CA file that lets the app read billing', async () => {
    const child = runEmulatorCli(['--port', '0', '--tls']);
    const exited = exitOf(child);
    try {
      const lines = await new Promise<Record<string, string>>((resolve, reject) => {
        let seen = '';
        child.stdout.on('data', (data: Buffer) => {
          seen += data.toString();
          const values = Object.fromEntries([...seen.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
          if (values.NODE_EXTRA_CA_CERTS) resolve(values as Record<string, string>);
        });
        child.on('exit', (code) => reject(new Error(`emulator exited early with ${code}: ${seen}`)));
      });
      expect(lines.VIAM_APP_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(readFileSync(lines.NODE_EXTRA_CA_CERTS ?? '', 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
      // The app's own billing client, in a process that trusts the printed CA file and nothing else new.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--require', 'tsx/cjs', path.join(ROOT, 'test/billing/support/read-billing-info.ts')],
        { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...lines, NODE_NO_WARNINGS: '1' } },
      );
      expect(JSON.parse(stdout.trim())).toEqual({ ok: true, billingEmail: expect.stringContaining('@') });
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
  });

  it('answers a bad flag with one line on stderr and exit code 2', async () => {
    const { code, stdout, stderr } = await exitOf(runEmulatorCli(['--prot', '1']));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('emulator: unknown option "--prot" (try --help)\n');
  });
});
