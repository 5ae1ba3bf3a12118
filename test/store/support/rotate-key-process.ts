/**
 * A key rotation in a process of its own, as `viam-billing rotate-key` runs beside the app's replicas:
 * opens the test's store (settings from the environment) and rotates, printing the report as JSON.
 */
import { silentLogger } from '../../../src/logger';
import { KeyvInstallationStore } from '../../../src/slack/installation-store';
import { openStore } from '../../../src/store';
import { rotateEncryptionKey } from '../../../src/store/rotate-key';

async function main(): Promise<void> {
  const env = process.env;
  const logger = silentLogger();
  const store = await openStore({
    url: env.STORE_URL || undefined,
    dataDir: env.DATA_DIR,
    namespace: env.TEST_NAMESPACE,
    encryptionKey: env.ENCRYPTION_KEY,
    previousKeys: env.ENCRYPTION_KEY_PREVIOUS,
    logger,
  });
  try {
    const report = await rotateEncryptionKey(store, { others: [new KeyvInstallationStore({ store, logger })], logger });
    console.log(JSON.stringify(report));
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
