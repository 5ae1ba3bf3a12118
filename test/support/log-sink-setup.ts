import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOG_SINK_ENV } from './log-sink';

/** Jest global setup: one sink folder for the run; workers inherit the variable naming it. */
export default function setupLogSink(): void {
  process.env[LOG_SINK_ENV] = mkdtempSync(path.join(tmpdir(), 'viam-billing-logs-'));
}
