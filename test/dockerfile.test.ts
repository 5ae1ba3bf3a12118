/**
 * The Dockerfile, read as the image build would read it: no registry is reachable from CI to build the
 * image itself, so what can be checked without it is checked here. Every stage runs a supported Node
 * LTS line that `engines` admits, and the build stage holds every file `npm run build` reads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Node release lines in active or maintenance LTS on 2026-12-06 (Node 20 ended in April 2026). */
const SUPPORTED_LTS = [22, 24];

interface Stage {
  image: string;
  copies: string[];
}

function stagesOf(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of dockerfile.split('\n')) {
    const from = /^FROM\s+(\S+)/.exec(line);
    if (from) stages.push({ image: from[1] as string, copies: [] });
    const copy = /^COPY\s+(?!--from)(.+)$/.exec(line);
    if (copy) {
      const parts = (copy[1] as string).trim().split(/\s+/);
      stages[stages.length - 1]?.copies.push(...parts.slice(0, -1).map((part) => part.replace(/\/$/, '')));
    }
  }
  return stages;
}

/** Whether `file` is inside something the stage copied (the file itself or a folder above it). */
function copied(stage: Stage, file: string): boolean {
  const normalized = path.normalize(file);
  return stage.copies.some((source) => normalized === source || normalized.startsWith(`${source}/`));
}

describe('Dockerfile', () => {
  const stages = stagesOf(read('Dockerfile'));
  const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; scripts: Record<string, string> };

  it('runs every stage on a supported Node LTS line that engines admits', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const major = Number(/^node:(\d+)-/.exec(stage.image)?.[1]);
      expect(SUPPORTED_LTS).toContain(major);
      expect(pkg.engines.node).toMatch(
        new RegExp(`>=\\s*(${SUPPORTED_LTS.filter((line) => line <= major).join('|')})\\b`),
      );
    }
  });

  it('copies into the build stage every file npm run build reads', () => {
    const build = stages[0] as Stage;
    const tsconfig = JSON.parse(read('tsconfig.build.json')) as { extends?: string; include: string[] };
    const scriptFiles = [...(pkg.scripts.build ?? '').matchAll(/\bnode\s+(\S+\.js)/g)].map(
      (match) => match[1] as string,
    );
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.build.json',
      ...(tsconfig.extends ? [tsconfig.extends] : []),
      ...tsconfig.include,
      ...scriptFiles,
      'src/charts/fonts',
    ];
    expect(scriptFiles).toContain('scripts/copy-build-assets.js');
    expect(needed.filter((file) => !copied(build, file))).toEqual([]);
  });

  it('starts the compiled entry point the build produces', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/src\/main\.js"\]/);
    expect(pkg.scripts.start).toBe('node dist/src/main.js');
  });
});
