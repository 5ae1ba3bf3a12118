/**
 * The log sink of a test run. Jest's global setup makes a temp folder and names it in
 * VIAM_BILLING_LOG_SINK; every local stack (dev/local-stack) appends its app's log lines there, and
 * tests that run the app as a child process append its output with appendToLogSink. The global
 * teardown then reads every line of the run and fails it when any line holds a test secret: the
 * emulator's API keys, the stand-in's tokens and secrets, the encryption keys, or a Viam access token.
 * A leak is reported by file, line number and which secret, never by printing the secret.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadFixture } from '../../dev/emulator';
import { DEFAULT_APP, SEED } from '../../dev/slack-stand-in';

export const LOG_SINK_ENV = 'VIAM_BILLING_LOG_SINK';

/** The local stack's ENCRYPTION_KEY. */
export const STACK_ENCRYPTION_KEY = Buffer.alloc(32, 42).toString('base64');

/** What a Viam access token (a JWT) looks like; the emulator issues them and they must never be logged. */
const ACCESS_TOKEN = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

export interface NamedSecret {
  /** How a leak is reported, e.g. `emulator API key #2`. */
  name: string;
  value: string;
}

/** Every fixed secret of the test setup. */
export function knownTestSecrets(): NamedSecret[] {
  const apiKeys = loadFixture().orgs.flatMap((org) => org.apiKeys.map((key) => key.key));
  return [
    ...apiKeys.map((value, index) => ({ name: `emulator API key #${index + 1}`, value })),
    { name: 'stand-in bot token', value: SEED.botToken },
    { name: 'stand-in app token', value: DEFAULT_APP.appToken },
    { name: 'stand-in signing secret', value: DEFAULT_APP.signingSecret },
    { name: 'stand-in client secret', value: DEFAULT_APP.clientSecret },
    { name: 'local stack encryption key', value: STACK_ENCRYPTION_KEY },
  ];
}

/** Appends lines of a process the test started (e.g. an app replica) to the run's sink, if there is one. */
export function appendToLogSink(source: string, text: string): void {
  const sink = process.env[LOG_SINK_ENV];
  if (!sink || text === '') return;
  const safeSource = source.replace(/[^A-Za-z0-9-]/g, '-');
  appendFileSync(path.join(sink, `${safeSource}-${process.pid}-${SINK_SUFFIX}.log`), text);
}

const SINK_SUFFIX = randomBytes(3).toString('hex');

/** Secrets the stacks of this run listed next to their logs (values from their environment). */
function listedSecrets(dir: string): NamedSecret[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.secrets.json'))
    .flatMap((file) =>
      (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as string[]).map((value) => ({
        name: `a secret from the environment of ${file.replace('.secrets.json', '')}`,
        value,
      })),
    );
}

export interface Leak {
  file: string;
  line: number;
  secret: string;
}

export interface SinkScan {
  files: number;
  lines: number;
  leaks: Leak[];
}

/** Reads every log file in `dir` and reports each line holding a secret. */
export function scanLogSink(dir: string, extraSecrets: readonly NamedSecret[] = []): SinkScan {
  if (!existsSync(dir)) return { files: 0, lines: 0, leaks: [] };
  const secrets = [...knownTestSecrets(), ...listedSecrets(dir), ...extraSecrets].filter(
    (secret) => secret.value.length >= 8,
  );
  const scan: SinkScan = { files: 0, lines: 0, leaks: [] };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.log'))) {
    scan.files += 1;
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (text === '') return;
      scan.lines += 1;
      for (const secret of secrets) {
        if (text.includes(secret.value)) scan.leaks.push({ file, line: index + 1, secret: secret.name });
      }
      if (ACCESS_TOKEN.test(text)) scan.leaks.push({ file, line: index + 1, secret: 'a Viam access token' });
    });
  }
  return scan;
}

export function describeLeaks(scan: SinkScan): string {
  const shown = scan.leaks.slice(0, 20).map((leak) => `  ${leak.file}:${leak.line} holds ${leak.secret}`);
  const more = scan.leaks.length > 20 ? [`  …and ${scan.leaks.length - 20} more`] : [];
  return [`${scan.leaks.length} log line(s) hold a test secret:`, ...shown, ...more].join('\n');
}
