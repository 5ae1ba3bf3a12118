/**
 * The app as its own process (`tsx src/main.ts`), for faults only a real process can have: being
 * killed with SIGKILL in the middle of a post or an upload. Its output goes to the run's log sink.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { appendToLogSink } from '../../support/log-sink';
import { type AppSetting, appEnv } from './fault-app';

const ROOT = path.resolve(__dirname, '../../..');

export interface AppProcess {
  url: string;
  process: ChildProcess;
  lines: Array<Record<string, unknown>>;
  /** SIGKILL: no shutdown code runs, as in a crash or an OOM kill. Resolves once the process is gone. */
  crash(): Promise<void>;
  /** SIGTERM, for cleanup. */
  stop(): Promise<void>;
}

/** Starts the app in a child process and resolves once it listens. */
export function startAppProcess(setting: AppSetting): Promise<AppProcess> {
  // Node itself with tsx's loader, not the tsx command: that one runs the app in a second process,
  // which a SIGKILL of the first would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...appEnv(setting) },
  });
  const running: AppProcess = {
    url: '',
    process: child,
    lines: [],
    crash: () => ended(child, 'SIGKILL'),
    stop: () => ended(child, 'SIGTERM'),
  };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      appendToLogSink('fault-app-process', text);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        running.lines.push(entry);
        if (entry.msg === 'viam billing app started') {
          running.url = `http://127.0.0.1:${entry.port}`;
          resolve(running);
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the app process exited (${code}) before starting: ${stderr}`)));
  });
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}
