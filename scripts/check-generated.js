#!/usr/bin/env node
// Fails when src/gen no longer matches what `npm run proto` makes from proto/, so a proto
// edit without regeneration (or a hand edit of generated code) never lands.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'proto-check-'));
try {
  const template = fs.readFileSync(path.join(root, 'buf.gen.yaml'), 'utf8').replace(/out: src\/gen/, `out: ${scratch}`);
  execFileSync('npx', ['buf', 'generate', '--template', template], { cwd: root, stdio: 'inherit' });
  const diff = (a, b) => {
    try {
      execFileSync('diff', ['-r', a, b], { stdio: 'pipe' });
      return '';
    } catch (error) {
      return String(error.stdout || error.message);
    }
  };
  const out = diff(path.join(root, 'src/gen'), scratch);
  if (out) {
    console.error(out.slice(0, 4000));
    console.error('src/gen is stale: run `npm run proto` and commit the result.');
    process.exit(1);
  }
  console.log('proto: src/gen is up to date.');
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
