/**
 * One key for all replicas, as real processes (`tsx src/main.ts`, HTTP mode) see it: replica A runs on
 * a store; replica B, started on the same store with another ENCRYPTION_KEY, or with none, exits
 * non-zero with one sentence and changes nothing (it has the same VIAM_* org in its environment, which
 * it would otherwise re-seal with its own key); A still answers a signed slash command afterwards.
 *
 * SQLite runs always (one file shared by both, each replica with its own DATA_DIR and so its own
 * generated key file: the case that used to break the first replica). Redis and PostgreSQL run when
 * REDIS_URL / DATABASE_URL are set, and are skipped with a notice otherwise; they use the app's default
 * namespace, sealed with the local stack's key as in every other test that runs the app on a server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import {
  DEFAULT_APP,
  MANIFEST_BOT_SCOPES,
  type SlackStandIn,
  sendSlashCommand,
  startSlackStandIn,
} from '../../dev/slack-stand-in';
import { silentLogger } from '../../src/logger';
import { openStore } from '../../src/store';
import { SHARED_KEY_REQUIRED, STORE_KEY_MISMATCH } from '../../src/store/key-check';
import { KEY_FILE_NAME } from '../../src/store/seal';
import { appendToLogSink, STACK_ENCRYPTION_KEY } from '../support/log-sink';
import { takeTurnsOnSharedServers } from '../support/shared-servers';
import { messageText } from '../support/stack';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const OTHER_KEY = randomBytes(32).toString('base64');

const BACKENDS = [
  { name: 'SQLite', variable: undefined },
  { name: 'Redis', variable: 'REDIS_URL' },
  { name: 'PostgreSQL', variable: 'DATABASE_URL' },
] as const;

interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Running {
  url: string;
  process: ChildProcess;
  output: () => string;
}

for (const backend of BACKENDS) {
  const serverUrl = backend.variable ? process.env[backend.variable] : undefined;
  const skip = backend.variable !== undefined && !serverUrl;
  const suite = skip ? describe.skip : describe;
  if (skip) console.warn(`Skipping key refusal of replicas on ${backend.name}: ${backend.variable} is not set.`);

  suite(`a replica with another ENCRYPTION_KEY on one ${backend.name} store`, () => {
    let emulator: RunningEmulator;
    let slack: SlackStandIn;
    let dataDir: string;
    let storeUrl: string;
    let a: Running | undefined;
    // A team of its own, so other tests on the same server never share its workspace.
    const teamId = `T${randomBytes(5).toString('hex').toUpperCase()}`;
    const userId = `U${randomBytes(5).toString('hex').toUpperCase()}`;
    let channelId = '';
    let botToken = '';

    /** A's ENCRYPTION_KEY: on SQLite none (a generated key file in A's DATA_DIR), on a server the shared one. */
    const keyOfA = () => (serverUrl ? STACK_ENCRYPTION_KEY : undefined);

    function environment(name: string, encryptionKey: string | undefined): NodeJS.ProcessEnv {
      const org = emulator.orgs[0];
      if (!org) throw new Error('the emulator fixture has no org');
      return {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SLACK_BOT_TOKEN: botToken,
        SLACK_SIGNING_SECRET: DEFAULT_APP.signingSecret,
        SLACK_API_URL: slack.url,
        PORT: '0',
        VIAM_APP_URL: emulator.url,
        VIAM_ORG_ID: org.orgId,
        VIAM_API_KEY_ID: org.apiKeyId,
        VIAM_API_KEY: org.apiKey,
        STORE_URL: storeUrl,
        // Each replica its own folder, as separate machines (or containers with their own /data) have.
        DATA_DIR: path.join(dataDir, name),
        ...(encryptionKey ? { ENCRYPTION_KEY: encryptionKey } : {}),
        LOG_LEVEL: 'debug',
      };
    }

    beforeAll(async () => {
      [emulator, slack] = await Promise.all([startEmulator(), startSlackStandIn()]);
      const team = slack.workspace.addTeam({ id: teamId, name: 'Key Refusal', scopes: [...MANIFEST_BOT_SCOPES] });
      botToken = team.botToken;
      slack.workspace.addUser(teamId, { id: userId, name: 'owner', isPrimaryOwner: true });
      channelId = slack.workspace.addChannel(teamId, { name: 'billing', members: [userId], botIsMember: true }).id;
      dataDir = await mkdtemp(path.join(tmpdir(), 'viam-billing-key-refusal-'));
      storeUrl = serverUrl ?? `sqlite://${path.join(dataDir, 'shared.sqlite')}`;
      a = await start('a', environment('a', keyOfA()));
    }, 60_000);

    afterAll(async () => {
      if (a) await stop(a);
      if (serverUrl) {
        // Leaves nothing of this team on the server; the store's key check stays, as for every app test.
        const store = await openStore({
          url: serverUrl,
          dataDir,
          encryptionKey: STACK_ENCRYPTION_KEY,
          logger: silentLogger(),
        });
        await store.workspaces.deleteWorkspace({ teamId });
        await store.close();
      }
      await slack?.stop();
      await emulator?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('refuses B with a different key: exit 1, the one sentence, and A still answers', async () => {
      const b = await runToExit('b', environment('b', OTHER_KEY));
      expect(b.code).toBe(1);
      expect(b.stderr).toBe(`Cannot start: ${STORE_KEY_MISMATCH}\n`);
      expect(b.stdout).toContain('refusing to start');
      expect(b.stdout).not.toContain('viam billing app started');
      await expectNoKeys(`${b.stdout}${b.stderr}`, dataDir);
      await expectAnswers();
    }, 60_000);

    it(`refuses B without a key${serverUrl ? '' : ' (so with a key file of its own)'}, and A still answers`, async () => {
      const b = await runToExit('b-nokey', environment('b-nokey', undefined));
      expect(b.code).toBe(1);
      if (serverUrl) {
        // Refused by the configuration check, before anything connects.
        expect(b.stderr.split('\n')[0]).toBe(`Configuration: ${SHARED_KEY_REQUIRED}`);
        expect(b.stdout).toBe('');
      } else {
        expect(b.stderr).toBe(`Cannot start: ${STORE_KEY_MISMATCH}\n`);
        expect(b.stdout).toContain('refusing to start');
      }
      await expectNoKeys(`${b.stdout}${b.stderr}`, dataDir);
      await expectAnswers();
    }, 60_000);

    it('never logs a key on A either', async () => {
      expect(a?.output()).toContain('viam billing app started');
      await expectNoKeys(a?.output() ?? '', dataDir);
    });

    /** A answers `/viam-usage billing` with the org's billing email: it can still open the org's sealed key. */
    async function expectAnswers(): Promise<void> {
      if (!a) throw new Error('replica A did not start');
      const responseUrl = slack.responseUrl();
      const ack = await sendSlashCommand({
        appUrl: a.url,
        signingSecret: DEFAULT_APP.signingSecret,
        team: teamId,
        user: userId,
        channel: channelId,
        text: 'billing',
        responseUrl,
        triggerId: slack.triggerId(),
      });
      expect(ack.status).toBe(200);
      const answer = await slack.waitForResponse(responseUrl, undefined, 10_000);
      expect(messageText(answer.body)).toContain('billing@acme-robotics.example');
      expect(messageText(answer.body)).not.toContain('ENCRYPTION_KEY');
    }
  });
}

/** No key in `text`: the fixed ones, and any key file a replica generated under `dataDir`. */
async function expectNoKeys(text: string, dataDir: string): Promise<void> {
  const generated: string[] = [];
  for (const folder of await readdir(dataDir)) {
    const file = path.join(dataDir, folder, KEY_FILE_NAME);
    if (existsSync(file)) generated.push((await readFile(file, 'utf8')).trim());
  }
  for (const key of [OTHER_KEY, STACK_ENCRYPTION_KEY, ...generated]) {
    const bytes = Buffer.from(key, 'base64');
    for (const spelling of [key, bytes.toString('base64url'), bytes.toString('hex')]) {
      expect(text.includes(spelling)).toBe(false);
    }
  }
}

function launch(
  name: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(TSX, ['src/main.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    appendToLogSink(`key-refusal-${name}`, text);
    stdout += text;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
}

/** Starts a replica and resolves once it logs its port. */
function start(name: string, env: NodeJS.ProcessEnv): Promise<Running> {
  const { child, stdout, stderr } = launch(name, env);
  return new Promise((resolve, reject) => {
    const onData = () => {
      const started = stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.msg === 'viam billing app started');
      if (!started) return;
      child.stdout?.off('data', onData);
      resolve({ url: `http://127.0.0.1:${started.port}`, process: child, output: () => `${stdout()}${stderr()}` });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`replica ${name} exited (${code}) before starting: ${stderr()}`)));
  });
}

/** Runs a replica expected to refuse; one that starts anyway is stopped and reported as started. */
function runToExit(name: string, env: NodeJS.ProcessEnv): Promise<Exited> {
  const { child, stdout, stderr } = launch(name, env);
  return new Promise((resolve) => {
    child.stdout?.on('data', () => {
      if (stdout().includes('"viam billing app started"')) child.kill('SIGTERM');
    });
    // 'close', not 'exit': the last lines of a process that stops at once can trail its exit.
    child.once('close', (code) => resolve({ code, stdout: stdout(), stderr: stderr() }));
  });
}

async function stop(replica: Running): Promise<void> {
  if (replica.process.exitCode !== null) return;
  const exited = new Promise((resolve) => replica.process.once('exit', resolve));
  replica.process.kill('SIGTERM');
  await exited;
}
