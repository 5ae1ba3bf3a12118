/**
 * Child processes of the bench: TypeScript scripts run through tsx (the bench's own workers and the
 * app's real entry point), free ports, readiness polling and clean stops. Every child is stopped by
 * its own pid when the bench ends or is interrupted; forked workers also exit when their IPC channel closes.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ChildLink, type Handlers } from './ipc';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Every child still running, so an interrupted bench can end them (by pid) on its way out. */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Kills the children this process started and that are still running; safe in an 'exit' handler. */
export function killStartedChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

export const APP_ENTRY = path.join(REPO_ROOT, 'src', 'main.ts');
/** The app as `npm start` runs it, after `npm run build`. */
export const COMPILED_APP_ENTRY = path.join(REPO_ROOT, 'dist', 'src', 'main.js');

/**
 * How children run TypeScript: tsx's CommonJS hook, which transpiles in the process itself. (`--import tsx`
 * would also start a module-loader thread, adding to every child's start-up time and memory; the code is
 * CommonJS, so the hook is all it needs.)
 */
const TS_HOOK = ['--require', 'tsx/cjs'];
/** Where lib/build.ts compiles the bench's workers (with the app's sources) to. */
export const COMPILED_WORKERS_DIR = path.join(REPO_ROOT, 'dist-bench');

/**
 * With BENCH_CPU_PROF=<folder>, each server and worker writes a V8 CPU profile there when it exits (a graceful
 * stop), in a subfolder named after it; `npm run bench:profile -- FILE` summarises one.
 */
function profilingArgs(name: string): string[] {
  const folder = process.env.BENCH_CPU_PROF;
  if (!folder) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${path.resolve(folder, name.replace(/[^a-z0-9-]+/gi, '-'))}`];
}

/** Only what a child needs from the bench's own environment; nothing else leaks in (no stray SLACK_APP_TOKEN). */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name]) base[name] = process.env[name];
  return { ...base, ...extra };
}

/** Keeps the last few KiB a child wrote to stderr, to explain a failure. */
function stderrTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  });
  return () => tail.trim();
}

function exitDescription(name: string, child: ChildProcess, tail: () => string): () => string {
  return () => `${name} exited (code ${child.exitCode ?? child.signalCode})${tail() ? `: ${tail()}` : ''}`;
}

export interface TsChild<H extends Handlers, Info> {
  process: ChildProcess;
  link: ChildLink<H, Info>;
  info: Info;
  stop(): Promise<void>;
}

/** Forks a bench script (under bench/processes) through tsx with an IPC link, and waits until it says it is ready. */
export async function forkTs<H extends Handlers, Info>(
  script: string,
  options: {
    args?: string[];
    env?: Record<string, string>;
    exposeGc?: boolean;
    name?: string;
    /** Runs the script's compiled copy in dist-bench/ (lib/build.ts's buildBenchWorkers) without tsx. */
    compiled?: boolean;
  } = {},
): Promise<TsChild<H, Info>> {
  const scriptPath = options.compiled
    ? path.join(COMPILED_WORKERS_DIR, script.replace(/\.ts$/, '.js'))
    : path.join(REPO_ROOT, script);
  const child = track(
    fork(scriptPath, options.args ?? [], {
      cwd: REPO_ROOT,
      execArgv: [
        ...profilingArgs(options.name ?? path.basename(script)),
        ...(options.compiled ? [] : TS_HOOK),
        ...(options.exposeGc ? ['--expose-gc'] : []),
      ],
      env: childEnv(options.env ?? {}),
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    }),
  );
  const tail = stderrTail(child);
  const link = new ChildLink<H, Info>(child, exitDescription(options.name ?? script, child, tail));
  const info = await link.ready;
  return { process: child, link, info, stop: () => disconnectChild(child) };
}

export interface SpawnedApp {
  process: ChildProcess;
  url: string;
  /** Milliseconds from spawning the process to the first `GET /readyz` answered 200. */
  readyMs: number;
  /** CPU time (user + system, all threads) the process has used so far; undefined where /proc is missing. */
  cpuMs(): number | undefined;
  /** The main thread's share of cpuMs. */
  mainThreadCpuMs(): number | undefined;
  stop(): Promise<void>;
}

/** Linux's clock ticks per second for /proc times (USER_HZ), which is 100 on every mainstream build. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time of another process from /proc/<pid>/stat (utime + stime), in milliseconds. */
export function processCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : cpuMsOf(`/proc/${pid}/stat`);
}

/**
 * CPU time of a process's main thread alone (its task whose ID is the process's): the thread that
 * reads and acks requests, without answer threads, the chart renderer, libuv's pool or V8's helpers.
 */
export function mainThreadCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : cpuMsOf(`/proc/${pid}/task/${pid}/stat`);
}

function cpuMsOf(statFile: string): number | undefined {
  try {
    const stat = readFileSync(statFile, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs a server script (the app's real `src/main.ts` or its compiled `dist/src/main.js`, or the bench's
 * bare Bolt app) as its own Node process on a free port, with its logs going nowhere, and resolves once
 * `/readyz` answers 200.
 */
export async function spawnServer(
  script: string,
  env: Record<string, string>,
  options: {
    name?: string;
    timeoutMs?: number;
    /** A compiled script (dist/…js) runs without the TypeScript hook. */
    compiled?: boolean;
    /** Default the repository; the app reads a `.env` in its working folder. */
    cwd?: string;
  } = {},
): Promise<SpawnedApp> {
  const port = await freePort();
  const started = performance.now();
  const child = track(
    spawn(
      process.execPath,
      [...profilingArgs(options.name ?? path.basename(script)), ...(options.compiled ? [] : TS_HOOK), script],
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: childEnv({ ...env, PORT: String(port) }),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    ),
  );
  const describe = exitDescription(options.name ?? path.basename(script), child, stderrTail(child));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child, describe, options.timeoutMs ?? 60_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    process: child,
    url,
    readyMs: performance.now() - started,
    cpuMs: () => processCpuMs(child.pid),
    mainThreadCpuMs: () => mainThreadCpuMs(child.pid),
    stop: () => stopChild(child),
  };
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  describe: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(describe());
    if ((await getStatus(`${url}/readyz`)) === 200) return;
    if (performance.now() > deadline) throw new Error(`${describe()} did not get ready within ${timeoutMs} ms`);
    await delay(5);
  }
}

/** The HTTP status of a GET, or 0 when nothing answers. */
export function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Closes a forked child's IPC channel, on which it exits by itself; stops it the hard way if it does not. */
async function disconnectChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => void stopChild(child), 5_000);
  await exited;
  clearTimeout(timer);
}

/** SIGTERM (the app's graceful stop), then SIGKILL if it takes longer than `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
