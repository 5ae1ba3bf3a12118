import path from 'node:path';
import { StoreError } from './errors';

/** Which backend STORE_URL names, and how to reach it. */
export type BackendSpec =
  | { kind: 'sqlite'; file: string; isDefault: boolean }
  | { kind: 'redis'; url: string }
  | { kind: 'postgres'; url: string };

export type BackendKind = BackendSpec['kind'];

export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_SQLITE_FILE = 'store.sqlite';

const ACCEPTED_FORMS =
  'leave it empty for an SQLite file in the data folder, or use sqlite:///path/to/file.sqlite, redis://host:6379, rediss://host:6380, postgres://user@host:5432/db';

/**
 * STORE_URL to a backend. Errors name the variable and the accepted forms but never echo the value,
 * because database URLs usually carry a password.
 */
export function parseStoreUrl(url: string | undefined, dataDir: string = DEFAULT_DATA_DIR): BackendSpec {
  const trimmed = url?.trim() ?? '';
  if (trimmed === '') {
    return { kind: 'sqlite', file: path.join(dataDir, DEFAULT_SQLITE_FILE), isDefault: true };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite': {
      const file = trimmed.slice('sqlite://'.length);
      if (file === '') throw invalid('sqlite:// needs a file path, e.g. sqlite:///var/lib/viam-billing/store.sqlite');
      return { kind: 'sqlite', file, isDefault: false };
    }
    case 'redis':
    case 'rediss':
      assertParsable(trimmed);
      return { kind: 'redis', url: trimmed };
    case 'postgres':
    case 'postgresql':
      assertParsable(trimmed);
      return { kind: 'postgres', url: trimmed };
    default:
      throw invalid(scheme === undefined ? 'it is not a URL' : `the scheme "${scheme}://" is not supported`);
  }
}

function assertParsable(url: string): void {
  try {
    new URL(url);
  } catch {
    throw invalid('it is not a valid URL (special characters in the password must be percent-encoded)');
  }
}

function invalid(problem: string): StoreError {
  return new StoreError('invalid', `STORE_URL is not usable: ${problem}. Accepted forms: ${ACCEPTED_FORMS}.`);
}
