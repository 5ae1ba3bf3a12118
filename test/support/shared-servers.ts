/**
 * The test files that use the shared Redis and PostgreSQL servers take turns. They share the app's
 * default namespace there (the app has no other), its workspaces and its key check, so one file's
 * uninstall or clean-up would land in another's run; jest runs two files at a time, and the other
 * files keep running beside whichever of these holds the turn.
 *
 * The turn is a directory made with mkdir (atomic), holding the jest worker's process ID, so a turn
 * left by a worker that died is taken back.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const TURN = path.join(tmpdir(), 'viam-billing-tests-shared-servers.turn');
const OWNER = path.join(TURN, 'owner');

function holderIsAlive(): boolean {
  try {
    const pid = Number(readFileSync(OWNER, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but is not ours to signal; anything else (no file yet, no process) is no holder.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function takeTurn(): Promise<void> {
  let unownedSince: number | undefined;
  for (;;) {
    try {
      mkdirSync(TURN);
      writeFileSync(OWNER, String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (holderIsAlive()) {
      unownedSince = undefined;
    } else {
      // A holder writes its ID just after mkdir: only a turn without a live holder for a while is abandoned.
      unownedSince ??= Date.now();
      if (Date.now() - unownedSince > 1_000) rmSync(TURN, { recursive: true, force: true });
    }
    await delay(100);
  }
}

/** Call at the top of a test file that uses REDIS_URL or DATABASE_URL: the file runs in its turn. */
export function takeTurnsOnSharedServers(): void {
  beforeAll(takeTurn, 15 * 60_000);
  afterAll(() => {
    if (holderIsAlive() && readFileSync(OWNER, 'utf8') === String(process.pid))
      rmSync(TURN, { recursive: true, force: true });
  });
}
