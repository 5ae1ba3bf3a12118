/** `npm run demo`: see HELP in cli-args.ts. */
import { HELP, parseDemoArgs } from './cli-args';
import { DemoUsageError, runDemo } from './demo';
import { terminalWidth, useColor } from './terminal';

/** After everything was stopped the process should end by itself; this only guards against a stray handle. */
const EXIT_GRACE_MS = 2_000;

async function main(): Promise<number> {
  const args = parseDemoArgs(process.argv.slice(2));
  if (args.kind === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.kind === 'error') {
    console.error(`${args.message}\nSee: npm run demo -- --help`);
    return 2;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const interrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nStopping the demo (the app, the emulator and the Slack stand-in)…\n');
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    const report = await runDemo({
      outDir: args.outDir,
      write: (text) => process.stdout.write(text),
      command: args.command,
      as: args.as,
      channel: args.channel,
      color: args.color ?? useColor(process.stdout, process.env),
      width: terminalWidth(process.stdout),
      signal: controller.signal,
    });
    if (report.aborted) return 130;
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof DemoUsageError) {
      console.error(error.message);
      return 2;
    }
    console.error(`demo: could not run: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

// Piping into `head` closes stdout early; that is not a failure of the demo.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

void main().then((code) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
});
