/**
 * The app as its own process (`tsx src/main.ts`), for faults only a real process can have: being
 * killed with SIGKILL in the middle of a post or an upload. Its output goes to the run's log sink.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { untilStarted } from '../../support/app-output';
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
  return untilStarted(child, 'fault-app-process', running.lines).then((url) => {
    running.url = url;
    return running;
  });
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}
