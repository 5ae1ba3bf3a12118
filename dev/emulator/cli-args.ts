/** Command-line flags of `npm run emulator`. */

export interface CliOptions {
  port: number;
  host: string;
  fixturePath?: string;
  tokenTtlSeconds?: number;
  /** Serve TLS with a certificate from a CA made at start, and print the CA file to trust. */
  tls: boolean;
  help: boolean;
}

export const DEFAULT_CLI_PORT = 8081;

export const USAGE = `Usage: npm run emulator -- [--port N] [--host ADDRESS] [--fixture FILE.json] [--token-ttl SECONDS] [--tls]

Runs the Viam billing emulator (plaintext gRPC, or TLS with --tls) and prints the .env lines for its main demo org.
  --port N            port to listen on (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --host ADDRESS      address to bind (default 127.0.0.1)
  --fixture FILE      seed data (default dev/emulator/fixtures/default.json)
  --token-ttl SECONDS access tokens expire after this long (default: never)
  --tls               serve TLS with a certificate for localhost and 127.0.0.1 from a CA made at start;
                      prints the CA file (NODE_EXTRA_CA_CERTS=...) for clients to trust`;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

const FLAGS_WITH_VALUES = new Set(['--port', '--host', '--fixture', '--token-ttl']);

function wholeNumber(flag: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new CliUsageError(`${flag} must be a whole number from 0 to ${max}, got "${value}"`);
  }
  return Number(value);
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: DEFAULT_CLI_PORT, host: '127.0.0.1', tls: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    if (arg === '--tls') {
      options.tls = true;
      continue;
    }
    const [flag = '', inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (!FLAGS_WITH_VALUES.has(flag)) throw new CliUsageError(`unknown option "${arg}" (try --help)`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new CliUsageError(`${flag} needs a value`);
    switch (flag) {
      case '--port':
        options.port = wholeNumber(flag, value, 65535);
        break;
      case '--host':
        options.host = value;
        break;
      case '--fixture':
        options.fixturePath = value;
        break;
      case '--token-ttl':
        options.tokenTtlSeconds = wholeNumber(flag, value, 365 * 24 * 3600);
        if (options.tokenTtlSeconds === 0) throw new CliUsageError('--token-ttl must be at least 1 second');
        break;
    }
  }
  return options;
}
