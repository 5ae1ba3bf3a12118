/**
 * Arguments of `npm run demo -- …`. The demo's own options are recognised anywhere; every other word
 * is the command text, so `npm run demo -- invoices --all` works without quotes (`--all` and `--org`
 * belong to the app, not to the demo).
 */
import path from 'node:path';

export type DemoArgs =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | {
      kind: 'run';
      outDir: string;
      /** Undefined: the whole walkthrough. A string (possibly empty, i.e. the overview): just that command. */
      command?: string;
      as?: string;
      channel?: string;
      color?: false;
    };

export const DEFAULT_OUT_DIR = 'demo-output';

const VALUE_OPTIONS = { '--out': 'outDir', '--as': 'as', '--in': 'channel' } as const;

export function parseDemoArgs(argv: readonly string[], cwd: string = process.cwd()): DemoArgs {
  const values: { outDir?: string; as?: string; channel?: string } = {};
  const words: string[] = [];
  let color: false | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--no-color') {
      color = false;
      continue;
    }
    if (arg === '--' && i === 0) continue;
    const [name, inline] = arg.startsWith('--') ? splitOnce(arg, '=') : [arg, undefined];
    if (Object.hasOwn(VALUE_OPTIONS, name)) {
      const key = VALUE_OPTIONS[name as keyof typeof VALUE_OPTIONS];
      const value = inline ?? argv[i + 1];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
        return { kind: 'error', message: `${name} needs a value, e.g. ${name} ${EXAMPLES[key]}` };
      }
      values[key] = value;
      if (inline === undefined) i += 1;
      continue;
    }
    words.push(arg);
  }
  if (words.length === 0 && (values.as !== undefined || values.channel !== undefined)) {
    return { kind: 'error', message: '--as and --in go with a command, e.g. npm run demo -- --as linus "billing"' };
  }
  return {
    kind: 'run',
    outDir: path.resolve(cwd, values.outDir ?? DEFAULT_OUT_DIR),
    ...(words.length > 0 ? { command: words.join(' ') } : {}),
    ...(values.as !== undefined ? { as: values.as } : {}),
    ...(values.channel !== undefined ? { channel: values.channel } : {}),
    ...(color === false ? { color } : {}),
  };
}

const EXAMPLES = { outDir: 'demo-output', as: 'linus', channel: 'general' } as const;

function splitOnce(arg: string, separator: string): [string, string | undefined] {
  const at = arg.indexOf(separator);
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

export const HELP = `Usage: npm run demo [-- [options] ["<command text>"]]

Runs the Viam billing Slack app offline, in one process: the real app (signed Slack requests over
HTTP, its store and digest scheduler), a Viam billing emulator (gRPC) and a stand-in for Slack, all
on 127.0.0.1. No Slack workspace, Viam account or network is needed.

First the clock runs through the two months since Acme connected its Viam org while the app's own
hourly check records its usage. Without a command it then walks through a session in the demo
workspace "Acme Robotics": help, the overview, usage, invoices, sharing an invoice PDF, a member
refused and then given access, connecting a second org through the modal, month over month, the
spend chart, a budget and the alerts of the hourly check (one about a cost line that jumped), and
weekly digests. Every step checks what it shows.

  npm run demo                              the whole walkthrough
  npm run demo -- "usage"                   one command, typed by Ada in #billing
  npm run demo -- "invoices --all"
  npm run demo -- "digest now #billing"
  npm run demo -- --as linus "billing"      as a member without access

Options:
  --as <name>     who types the command: ada (owner, default), grace (admin), linus, mei (members)
  --in <channel>  where it is typed: billing (default), general, finance, random
  --out <dir>     where the Block Kit JSON, shared PDFs, index.html and app.log go (default: demo-output)
  --no-color      plain text (also when NO_COLOR is set or the output is not a terminal)
  -h, --help      this text

Exit code: 0 when every step did what it should, 1 when one did not, 2 for bad arguments.
`;
