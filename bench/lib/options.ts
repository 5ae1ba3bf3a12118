/** The bench's command line: benchmark names and a few options, parsed without a library. */

export interface BenchArgs {
  names: string[];
  /** `--workspaces N` (scale). */
  workspaces?: number;
  /** `--stores sqlite,postgres` (scale): only these of the stores the environment offers. */
  stores?: ScaleStore[];
  /** `--json FILE`: this run's results as JSON. */
  json?: string;
  /** `--docs`: merge this run's results into docs/benchmarks.{md,json}. */
  docs: boolean;
  help: boolean;
}

export const SCALE_STORES = ['sqlite', 'redis', 'postgres'] as const;
export type ScaleStore = (typeof SCALE_STORES)[number];

/** Workspaces below this leave the scale bench without its two changed workspaces besides the due ones. */
export const MIN_WORKSPACES = 10;

export function parseBenchArgs(argv: readonly string[]): BenchArgs | { error: string } {
  const parsed: BenchArgs = { names: [], docs: false, help: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++index];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value`);
      return next;
    };
    try {
      switch (flag) {
        case '--help':
        case '-h':
          parsed.help = true;
          break;
        case '--docs':
          parsed.docs = true;
          break;
        case '--json':
          parsed.json = value();
          break;
        case '--stores': {
          const names = value()
            .split(',')
            .map((name) => name.trim());
          const unknown = names.filter((name) => !(SCALE_STORES as readonly string[]).includes(name));
          if (unknown.length > 0 || names.length === 0)
            throw new UsageError(`--stores takes a list of ${SCALE_STORES.join(', ')}, not "${unknown.join(',')}"`);
          parsed.stores = names as ScaleStore[];
          break;
        }
        case '--workspaces': {
          const text = value();
          const count = Number(text.replace(/[_,]/g, ''));
          if (!Number.isInteger(count) || count < MIN_WORKSPACES) {
            throw new UsageError(`--workspaces takes a whole number of at least ${MIN_WORKSPACES}, not "${text}"`);
          }
          parsed.workspaces = count;
          break;
        }
        default:
          if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
          parsed.names.push(flag);
      }
    } catch (error) {
      if (error instanceof UsageError) return { error: error.message };
      throw error;
    }
  }
  return parsed;
}

class UsageError extends Error {}
