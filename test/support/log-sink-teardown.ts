import { rmSync } from 'node:fs';
import { describeLeaks, LOG_SINK_ENV, scanLogSink } from './log-sink';

/**
 * Jest global teardown: the whole run's app logs must hold no test secret. A leak fails the run and
 * keeps the folder for a look; a clean run removes it.
 */
export default function scanLogSinkAtEnd(): void {
  const dir = process.env[LOG_SINK_ENV];
  if (!dir) return;
  const scan = scanLogSink(dir);
  if (scan.leaks.length > 0) {
    throw new Error(`${describeLeaks(scan)}\nThe logs are kept in ${dir}.`);
  }
  rmSync(dir, { recursive: true, force: true });
  if (scan.lines > 0) {
    console.log(`Log scan: ${scan.lines} app log lines in ${scan.files} files hold no test secret.`);
  }
}
