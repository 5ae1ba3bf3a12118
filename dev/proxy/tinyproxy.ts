/**
 * Debian's tinyproxy (unpacked by `npm run tool:tinyproxy` into .cache/tinyproxy) as a real proxy on
 * loopback: a second opinion on our CONNECT tunnels beside dev/proxy/connect-proxy.ts, which is ours
 * and so proves only what it models. Every CONNECT it is asked for is read from its log.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TINYPROXY_BINARY = path.join(__dirname, '..', '..', '.cache', 'tinyproxy', 'usr', 'bin', 'tinyproxy');

export interface RunningTinyproxy {
  url: string;
  /** `host:port` of every CONNECT so far, from its log. */
  connects(): string[];
  stop(): Promise<void>;
}

export function tinyproxyAvailable(): boolean {
  return existsSync(TINYPROXY_BINARY);
}

export async function startTinyproxy(): Promise<RunningTinyproxy> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'tinyproxy-'));
  const config = path.join(dir, 'tinyproxy.conf');
  // No ConnectPort line: CONNECT to any port (the stand-ins listen on ephemeral ones).
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      'Allow 127.0.0.1',
      'LogLevel Connect',
      'MaxClients 100',
      '',
    ].join('\n'),
  );
  const child = spawn(TINYPROXY_BINARY, ['-d', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      log += chunk;
    });
  }
  await waitForListening(child, () => log, port);
  return {
    url: `http://127.0.0.1:${port}`,
    connects: () =>
      [...log.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((match) => match[1] ?? ''),
    stop: () => ended(child),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForListening(child: ChildProcess, log: () => string, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  // tinyproxy logs at LogLevel Connect and above, which does not include "listening"; a TCP connect proves it.
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited: ${log().slice(-500)}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new Error('tinyproxy did not start listening');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}
