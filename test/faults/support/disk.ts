/**
 * Storage that fills up or cannot be written, for the SQLite store. chmod does not stop root, and the
 * tests may run as root, so a full disk is a small tmpfs mounted for the test and a read-only folder
 * is a read-only bind mount; both need root with the right to mount. Without it the tests that need
 * them are skipped with a notice, and a read-only folder falls back to chmod (which binds non-root).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: 'ignore' });
}

/** Unmounts `dir`; if something still holds a file there (a failed test), detaches it lazily instead. */
export function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    execFileSync('umount', ['--lazy', dir], { stdio: 'ignore' });
  }
}

/** Mounts an empty tmpfs of `bytes` on `dir`. */
export function mountTmpfs(dir: string, bytes: number): void {
  mount(['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir]);
}

/** Shows `source` again at `target`, read-only for everyone, root included. */
export function bindReadOnly(source: string, target: string): void {
  mount(['--bind', source, target]);
  try {
    mount(['-o', 'remount,bind,ro', target]);
  } catch (error) {
    unmount(target);
    throw error;
  }
}

/** Why mounting is impossible here, or undefined when a trial tmpfs mount worked. */
export function whyMountIsImpossible(): string | undefined {
  if (process.platform !== 'linux') return 'mounting a tmpfs needs Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const trial = mkdtempSync(path.join(tmpdir(), 'viam-billing-mount-check-'));
  try {
    mountTmpfs(trial, 64 * 1024);
    unmount(trial);
    return undefined;
  } catch {
    return 'this root may not mount (no CAP_SYS_ADMIN, e.g. an unprivileged container)';
  } finally {
    rmdirSync(trial);
  }
}

/** Fills the file system holding `dir` to the last byte with a file there; returns the file's path. */
export function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const stats = statfsSync(dir);
  try {
    // More than is free: the write stops at the last free block with ENOSPC, leaving the disk full.
    writeFileSync(filler, Buffer.alloc(Number(stats.bavail * stats.bsize) + 64 * 1024));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  return filler;
}
