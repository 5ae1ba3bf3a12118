/** A real store on a temp dir with the services a settings change touches, for the settings tests. */
import { AuditTrail } from '../../src/audit/trail';
import { Budgets } from '../../src/budgets/budgets';
import { DigestSchedules } from '../../src/digest/schedules';
import { silentLogger } from '../../src/logger';
import type { SettingsActor } from '../../src/services/settings-actor';
import { openStore, type Store } from '../../src/store';
import { newEncryptionKey, tempDir } from '../store/support';

export const NOW = new Date('2026-11-26T15:00:00Z');
export const REF = { teamId: 'T0SETTINGS' };

export interface SettingsFixture {
  store: Store;
  actor: SettingsActor;
  close(): Promise<void>;
}

export async function settingsFixture(userId = 'U0GRACE'): Promise<SettingsFixture> {
  const dir = await tempDir();
  const store = await openStore({ dataDir: dir.dir, encryptionKey: newEncryptionKey(), logger: silentLogger() });
  const logger = silentLogger();
  const services: SettingsActor['services'] = {
    store,
    audit: new AuditTrail(store, () => NOW),
    budgets: new Budgets(store, logger),
    digests: { schedules: new DigestSchedules(store, logger) },
    now: () => NOW,
  };
  return {
    store,
    actor: { ref: REF, userId, logger, services },
    async close() {
      await store.close();
      await dir.remove();
    },
  };
}
