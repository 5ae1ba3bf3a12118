/**
 * What the README-image and preview tests ask of an image file: a real PNG (signature, a header that
 * decodes, every chunk's checksum), of a size a README can show, and small enough to keep in git.
 */
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_BYTES = 300 * 1024;
const MIN_SIDE = 64;
const MAX_SIDE = 4096;

/** Everything wrong with the file as a README image, in words; empty when it is fine. */
export async function pngProblems(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE)) return [`${file} does not start with PNG's signature`];
  let size: { width: number; height: number };
  try {
    // Decoding the whole image checks what the signature cannot: the header, the data and their checksums.
    size = PNG.sync.read(bytes);
  } catch (error) {
    return [`${file} does not decode as a PNG: ${error instanceof Error ? error.message : String(error)}`];
  }
  const problems: string[] = [];
  for (const side of ['width', 'height'] as const) {
    if (size[side] < MIN_SIDE || size[side] > MAX_SIDE) {
      problems.push(`${file} is ${size[side]} pixels in ${side}, outside ${MIN_SIDE} to ${MAX_SIDE}`);
    }
  }
  if (bytes.length > MAX_BYTES) problems.push(`${file} has ${bytes.length} bytes, more than ${MAX_BYTES}`);
  return problems;
}
