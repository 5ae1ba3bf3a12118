#!/usr/bin/env node
// tsc compiles only TypeScript; the chart's fonts sit beside src/charts/rasterize.ts and must sit beside
// its compiled copy too.
const { cpSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
cpSync(path.join(root, 'src/charts/fonts'), path.join(root, 'dist/src/charts/fonts'), { recursive: true });
