import type { Logger } from '../logger';
import { StoreError } from './errors';
import type { Store } from './index';
import type { WorkspaceRef } from './keys';

/** Something else that seals secrets under a workspace (the Slack installations), re-sealed with it. */
export interface WorkspaceSecrets {
  /** True when the workspace's value changed; false when there is none or it already was current. */
  reseal(ref: WorkspaceRef): Promise<boolean>;
}

export interface RotationReport {
  keyId: string;
  workspaces: number;
  apiKeys: number;
  installations: number;
  /** Workspaces whose record is damaged: nothing in them can be opened with any key, so nothing is re-sealed. */
  unreadable: number;
  /** Whether the store's key check was sealed again (the last step; false when it already was). */
  keyCheck: boolean;
}

/**
 * Seals every stored secret again with the current key (ENCRYPTION_KEY), opening values sealed with
 * a previous one (ENCRYPTION_KEY_PREVIOUS). Each workspace is one compare-and-set, so replicas can keep
 * running (with both keys set) and nothing they write meanwhile is lost; values already sealed with the
 * current key are skipped, so a run that was stopped can simply be started again. The key check goes
 * last: from then on a process with only the old key stops at start.
 */
export async function rotateEncryptionKey(
  store: Store,
  options: { others?: WorkspaceSecrets[]; logger: Logger; onProgress?: (report: RotationReport) => void },
): Promise<RotationReport> {
  const report: RotationReport = {
    keyId: store.encryption.keyId,
    workspaces: 0,
    apiKeys: 0,
    installations: 0,
    unreadable: 0,
    keyCheck: false,
  };
  for await (const ref of store.workspaces.listWorkspaces()) {
    try {
      report.apiKeys += await store.workspaces.resealKeys(ref);
      for (const other of options.others ?? []) if (await other.reseal(ref)) report.installations += 1;
    } catch (error) {
      if (!(error instanceof StoreError) || error.kind !== 'corrupt') throw error;
      options.logger.warn({ team: ref.teamId, enterprise: ref.enterpriseId }, 'skipped a damaged workspace record');
      report.unreadable += 1;
    }
    report.workspaces += 1;
    options.onProgress?.(report);
  }
  report.keyCheck = await store.encryption.resealKeyCheck();
  options.logger.info({ ...report }, 'encryption key rotated');
  return report;
}
