#!/usr/bin/env node
/**
 * Unpacks Debian's tinyproxy binary into .cache/tinyproxy, for the test that sends every outbound
 * connection through a real proxy (test/network/real-proxy.test.ts). Nothing is installed system-wide
 * and no service is started: `apt-get download` fetches the package, `dpkg -x` unpacks it.
 */
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const target = path.join(__dirname, '..', '.cache', 'tinyproxy');
const binary = path.join(target, 'usr', 'bin', 'tinyproxy');
if (existsSync(binary)) {
  console.log(`tinyproxy already at ${binary}`);
  process.exit(0);
}
const work = mkdtempSync(path.join(tmpdir(), 'tinyproxy-deb-'));
try {
  // apt-get warns that it downloads as root without its sandbox user; its errors still reach the thrown error.
  const download = () =>
    execFileSync('apt-get', ['download', '-qq', 'tinyproxy-bin'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    download();
  } catch (error) {
    // A fresh machine may not have package lists yet; only root can fetch them.
    if (process.getuid?.() !== 0) throw error;
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'pipe'] });
    download();
  }
  const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download gave no .deb');
  mkdirSync(target, { recursive: true });
  execFileSync('dpkg', ['-x', path.join(work, deb), target]);
  console.log(`tinyproxy unpacked at ${binary}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
