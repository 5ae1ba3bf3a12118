#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` first (or use `npm run cli -- <command>` from a checkout).
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(compiled)) {
  console.error('viam-billing: not built yet. Run `npm run build`, or use `npm run cli -- <command>`.');
  process.exit(2);
}
const { runCli } = require(compiled);
runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
}).then((code) => {
  process.exitCode = code;
});
