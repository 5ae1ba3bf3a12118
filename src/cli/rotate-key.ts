/**
 * `viam-billing rotate-key`: re-seals every secret in the store with ENCRYPTION_KEY, opening values
 * sealed with the keys in ENCRYPTION_KEY_PREVIOUS. Reads the store settings from the environment, as
 * the app does. Safe to stop and run again, and safe while replicas run with both variables set.
 */
import { createLogger } from '../logger';
import { KeyvInstallationStore } from '../slack/installation-store';
import { isStoreError, openStore } from '../store';
import { rotateEncryptionKey } from '../store/rotate-key';
import type { CliIo } from './main';

const UNKNOWN_KEY =
  'Some values are sealed with a key that is neither ENCRYPTION_KEY nor in ENCRYPTION_KEY_PREVIOUS: add that old key to ENCRYPTION_KEY_PREVIOUS and run rotate-key again (nothing sealed so far is lost).';

export async function runRotateKey(io: CliIo): Promise<number> {
  const env = io.env;
  if (!env.ENCRYPTION_KEY?.trim()) {
    io.stderr(
      'viam-billing: rotate-key needs the new key in ENCRYPTION_KEY and the old one in ENCRYPTION_KEY_PREVIOUS.',
    );
    return 2;
  }
  const logger = createLogger({
    level: 'warn',
    secrets: [env.ENCRYPTION_KEY, ...(env.ENCRYPTION_KEY_PREVIOUS ?? '').split(/[\s,]+/)],
  });
  let store: Awaited<ReturnType<typeof openStore>> | undefined;
  try {
    store = await openStore({
      url: env.STORE_URL,
      dataDir: env.DATA_DIR ?? './data',
      encryptionKey: env.ENCRYPTION_KEY,
      previousKeys: env.ENCRYPTION_KEY_PREVIOUS,
      logger,
    });
    const installations = new KeyvInstallationStore({ store, logger });
    const report = await rotateEncryptionKey(store, { others: [installations], logger });
    io.stdout(
      `Rotated to key ${report.keyId}: ${report.workspaces} workspaces, ${report.apiKeys} API keys and ${report.installations} installations sealed again` +
        `${report.unreadable > 0 ? `, ${report.unreadable} damaged workspace records skipped` : ''}; ` +
        `${report.keyCheck ? 'the store key check now names the new key' : 'the store key check already named the new key'}. ` +
        'Remove ENCRYPTION_KEY_PREVIOUS from every replica once all of them run with the new key.',
    );
    return 0;
  } catch (error) {
    if (isStoreError(error) && error.kind === 'key_mismatch') {
      io.stderr(`viam-billing: ${store ? UNKNOWN_KEY : error.message}`);
    } else {
      io.stderr(`viam-billing: ${(error as Error).message}`);
    }
    return 1;
  } finally {
    await store?.close();
  }
}
