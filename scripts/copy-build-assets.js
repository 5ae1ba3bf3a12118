#!/usr/bin/env node
// tsc compiles only TypeScript; the chart's fonts sit beside src/charts/rasterize.ts and must sit beside
// its compiled copy too. Usage: node scripts/copy-build-assets.js [outDir], default dist.
const { cpSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outDir = path.resolve(root, process.argv[2] ?? 'dist');
cpSync(path.join(root, 'src/charts/fonts'), path.join(outDir, 'src/charts/fonts'), { recursive: true });
