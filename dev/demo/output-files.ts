/**
 * The demo's output folder: `NN-step.json` (raw Block Kit per step), the shared files (PDFs, charts,
 * CSVs), `index.html` and
 * `app.log`. Files from an earlier run are removed first, and only those: the folder may hold other
 * things the demo did not write.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const OWN_FILE = /^(\d{2}-[a-z0-9-]+\.json|[\w.-]+\.(?:pdf|png|csv)|index\.html|app\.log)$/;

export class OutputFolder {
  readonly written: string[] = [];

  private constructor(readonly dir: string) {}

  static async prepare(dir: string): Promise<OutputFolder> {
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      if (OWN_FILE.test(name)) await rm(path.join(dir, name), { force: true });
    }
    return new OutputFolder(dir);
  }

  /** `07-share-pdf.json` */
  async stepJson(number: number, slug: string, json: unknown): Promise<string> {
    return this.write(`${String(number).padStart(2, '0')}-${slug}.json`, `${JSON.stringify(json, null, 2)}\n`);
  }

  /**
   * Saves an uploaded file under its own name, reduced to safe characters; returns the name used. A second
   * file of the same name in one run (the chart a digest shares after the chart step's) gets `-2`, `-3`…,
   * so each step's link and inline image keep showing its own file.
   */
  async sharedFile(filename: string, bytes: Buffer): Promise<string> {
    const safe = path.basename(filename).replace(/[^\w.-]+/g, '_') || 'file';
    return this.write(this.unused(safe), bytes);
  }

  async text(name: string, content: string): Promise<string> {
    return this.write(name, content);
  }

  private unused(name: string): string {
    const { name: stem, ext } = path.parse(name);
    let candidate = name;
    for (let copy = 2; this.written.includes(candidate); copy += 1) candidate = `${stem}-${copy}${ext}`;
    return candidate;
  }

  private async write(name: string, content: string | Buffer): Promise<string> {
    await writeFile(path.join(this.dir, name), content);
    if (!this.written.includes(name)) this.written.push(name);
    return name;
  }
}
