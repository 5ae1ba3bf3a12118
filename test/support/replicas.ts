/**
 * Real app processes for replica tests: `tsx src/main.ts` in HTTP mode with a clean environment, each
 * with its own data folder (as separate machines would have), sharing one store. Their log lines are
 * parsed as they arrive, and all of them go to the run's secret scan.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningEmulator } from '../../dev/emulator';
import { DEFAULT_APP, SEED, type SlackStandIn } from '../../dev/slack-stand-in';
import { untilStarted } from './app-output';
import { STACK_ENCRYPTION_KEY } from './log-sink';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface Replica {
  name: string;
  url: string;
  process: ChildProcess;
  lines: Array<Record<string, unknown>>;
}

export interface ReplicaSetting {
  storeUrl: string;
  /** Each replica gets its own folder inside it. */
  dataDir: string;
  slack: SlackStandIn;
  emulator: RunningEmulator;
  /** Variables added to (or, as undefined, removed from) the replica's environment. */
  env?: Record<string, string | undefined>;
}

/** The backends replica tests run on, each skipped with a notice when its URL is not set. */
export const SHARED_BACKENDS = [
  { name: 'Redis', variable: 'REDIS_URL' },
  { name: 'PostgreSQL', variable: 'DATABASE_URL' },
] as const;

/** Starts one replica and resolves once it logs its port; rejects with its stderr if it exits first. */
export function startReplica(name: string, setting: ReplicaSetting): Promise<Replica> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SLACK_BOT_TOKEN: SEED.botToken,
    SLACK_SIGNING_SECRET: DEFAULT_APP.signingSecret,
    SLACK_API_URL: setting.slack.url,
    PORT: '0',
    VIAM_APP_URL: setting.emulator.url,
    STORE_URL: setting.storeUrl,
    DATA_DIR: path.join(setting.dataDir, name),
    // The key of every app test on a server's default namespace: the store's key check admits only one.
    ENCRYPTION_KEY: STACK_ENCRYPTION_KEY,
    DIGEST_CHECK_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'debug',
    // Answers on the acking thread unless a test asks for threads: each thread loads the whole app again
    // through tsx, which the suite's many app processes cannot afford (test/answers covers them).
    ANSWER_THREADS: '0',
    ...setting.env,
  };
  const child = spawn(TSX, ['src/main.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: definedOnly(env) });
  const replica: Replica = { name, url: '', process: child, lines: [] };
  return untilStarted(child, `replica-${name}`, replica.lines).then((url) => {
    replica.url = url;
    return replica;
  });
}

export async function stopReplica(replica: Replica): Promise<void> {
  if (replica.process.exitCode !== null) return;
  const exited = new Promise((resolve) => replica.process.once('exit', resolve));
  replica.process.kill('SIGTERM');
  await exited;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
