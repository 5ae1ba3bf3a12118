import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestCa } from '../tls/test-ca';
import { CliUsageError, parseCliArgs, USAGE } from './cli-args';
import { startEmulator } from './emulator';
import { loadFixture } from './fixture';

/**
 * `npm run emulator [-- --port N] [--tls]`: serves the emulator until SIGINT/SIGTERM and prints the main
 * demo org's settings as .env lines (with --tls, also the CA file to trust). Bad flags: one line on stderr, exit 2.
 */
async function main(argv: readonly string[]): Promise<void> {
  let options: ReturnType<typeof parseCliArgs>;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`emulator: ${error.message}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }

  const ca = options.tls ? await createTestCa('Viam billing emulator CA') : undefined;
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    fixture: options.fixturePath === undefined ? undefined : loadFixture(options.fixturePath),
    tokenTtlSeconds: options.tokenTtlSeconds,
    tls: ca ? await ca.issue({ hosts: ['localhost', '127.0.0.1'] }) : undefined,
  });
  const [main] = emulator.orgs;
  if (!main) throw new Error('the fixture has no org with an API key');
  console.log(`Viam billing emulator on ${emulator.url} (${emulator.orgs.length} orgs). For your .env:`);
  console.log(`VIAM_APP_URL=${emulator.url}`);
  console.log(`VIAM_ORG_ID=${main.orgId}`);
  console.log(`VIAM_API_KEY_ID=${main.apiKeyId}`);
  console.log(`VIAM_API_KEY=${main.apiKey}`);
  if (ca) {
    const caFile = ca.writeCa(mkdtempSync(path.join(tmpdir(), 'viam-emulator-ca-')));
    console.log(`NODE_EXTRA_CA_CERTS=${caFile}`);
    // Node reads NODE_EXTRA_CA_CERTS only as it starts, before the app reads .env.
    console.error(
      `emulator: TLS with a CA made for this run; export NODE_EXTRA_CA_CERTS=${caFile} in the shell that starts the app (.env is read too late for it)`,
    );
  }

  const shutdown = (signal: NodeJS.Signals) => {
    console.error(`emulator: ${signal}, stopping`);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
