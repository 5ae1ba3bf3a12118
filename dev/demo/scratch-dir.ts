import { accessSync, constants } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Linux's memory-backed folder; where it is missing (macOS) the system's temp folder serves. */
const MEMORY_BACKED = '/dev/shm';

/**
 * A fresh folder for the demo app's store, thrown away at the end. The app's SQLite store makes every
 * write durable, and recording the history makes some ten thousand of them: on a memory-backed
 * folder that takes a third of the time it takes on disk, and durability is worth nothing here.
 */
export function demoDataDir(): Promise<string> {
  return mkdtemp(path.join(writable(MEMORY_BACKED) ? MEMORY_BACKED : tmpdir(), 'viam-billing-demo-'));
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
