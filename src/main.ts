/**
 * Entry point: `npm start`. Reads .env when present, validates the configuration, starts the app and
 * stops it gracefully on SIGTERM/SIGINT. Every start-up failure is one line for the operator.
 */
import { existsSync } from 'node:fs';
import { StartupError, startApp } from './app';
import { ConfigError, loadConfig } from './config';
import { isStoreError } from './store';

const HELP = 'See "Connect your workspace" in the README, or run `npm run demo` to try the app offline.';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const app = await startApp(config);
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    process.stderr.write(`Received ${signal}; finishing work in flight (press Ctrl-C again to quit at once).\n`);
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) process.stderr.write(`Configuration: ${problem}\n`);
    process.stderr.write(`${HELP}\n`);
  } else if (error instanceof StartupError || isStoreError(error)) {
    process.stderr.write(`Cannot start: ${(error as Error).message}\n`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write('Cannot start: the port is already in use. Set PORT to a free port.\n');
  } else {
    process.stderr.write(`Cannot start: ${(error as Error).message ?? String(error)}\n`);
  }
  process.exit(1);
});
