import type { ChildProcess } from 'node:child_process';
import { appendToLogSink } from './log-sink';

/**
 * Follows a spawned app's stdout: every JSON log line is parsed into `lines` (and all output goes to
 * the run's secret scan under `sinkName`). Resolves to the app's URL once it logs that it started;
 * rejects with its stderr if it exits first.
 */
export function untilStarted(
  child: ChildProcess,
  sinkName: string,
  lines: Array<Record<string, unknown>>,
): Promise<string> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      appendToLogSink(sinkName, text);
      pending += text;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === 'viam billing app started') resolve(`http://127.0.0.1:${entry.port}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`${sinkName} exited (${code}) before starting: ${stderr}`)));
  });
}
