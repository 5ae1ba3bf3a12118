/**
 * The render thread loads src/charts/text-outlines and its glyph table by path, which no import shows the
 * compiler: this builds the app as `npm run build` does (into a folder of its own) and draws a chart with
 * the compiled code, as users run it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
// Inside the repository, so the compiled code finds node_modules; .cache/ is ignored by git and jest.
mkdirSync(path.join(REPO_ROOT, '.cache'), { recursive: true });
const outDir = mkdtempSync(path.join(REPO_ROOT, '.cache', 'compiled-build-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

it('draws a chart’s labels with the compiled build', () => {
  run(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', outDir]);
  run(process.execPath, ['scripts/copy-build-assets.js', outDir]);
  const drawing = `
    const { rasterize, closeRasterizer } = require(${JSON.stringify(path.join(outDir, 'src', 'charts', 'rasterize.js'))});
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" font-size="22">'
      + '<rect width="1200" height="675" fill="#FFFFFF"/><text x="40" y="56" font-size="32">Spend by category</text></svg>';
    rasterize(svg).then((png) => { process.stdout.write(png.toString('base64')); return closeRasterizer(); });
  `;
  const png = PNG.sync.read(Buffer.from(run(process.execPath, ['-e', drawing]), 'base64'));
  let dark = 0;
  for (let index = 0; index < png.data.length; index += 4) if ((png.data[index] ?? 255) < 100) dark++;
  // The label's glyphs, and nothing else, are dark.
  expect(dark).toBeGreaterThan(300);
}, 120_000);
