import { parseArgs } from 'node:util';

export const CLI_COMMANDS = ['usage', 'invoices', 'billing-info', 'invoice-pdf', 'check'] as const;
export type CliCommandName = (typeof CLI_COMMANDS)[number];

export interface CliInvocation {
  command: CliCommandName;
  invoiceId?: string;
  out?: string;
  json: boolean;
  url?: string;
  orgId?: string;
  apiKeyId?: string;
  apiKey?: string;
}

export type ParsedArgs =
  | { kind: 'run'; invocation: CliInvocation }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const USAGE_TEXT = `Usage: viam-billing <command> [options]

Commands:
  usage                             month-to-date usage by source, category and line
  invoices                          outstanding balance and invoices, newest first
  billing-info                      payment method, billing email and tier
  invoice-pdf <invoice-id> --out F  save an invoice PDF to file F
  check                             check that the key can read this org's billing
  rotate-key                        seal every stored secret again with ENCRYPTION_KEY, opening old
                                    values with ENCRYPTION_KEY_PREVIOUS (reads STORE_URL, DATA_DIR)

Options:
  --org-id <uuid>       Viam organization ID            (env VIAM_ORG_ID)
  --key-id <uuid>       API key ID                      (env VIAM_API_KEY_ID)
  --key <secret>        API key; prefer the env var     (env VIAM_API_KEY)
  --url <url>           Viam endpoint                   (env VIAM_APP_URL, default https://app.viam.com:443)
  --json                machine-readable output
  -h, --help            show this help

Exit codes: 0 success, 1 Viam or network error, 2 bad usage.`;

/** Flags win over environment variables. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return {
      kind: 'error',
      message: `${(error as Error).message.split('. To specify')[0]}. Run with --help for usage.`,
    };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [name, ...rest] = positionals;
  if (name === undefined) return { kind: 'error', message: 'Name a command, e.g. `viam-billing usage`.' };
  if (name === 'rotate-key') {
    return {
      kind: 'error',
      message:
        'rotate-key takes no arguments or flags: it reads STORE_URL, DATA_DIR, ENCRYPTION_KEY and ENCRYPTION_KEY_PREVIOUS.',
    };
  }
  if (!(CLI_COMMANDS as readonly string[]).includes(name)) {
    return { kind: 'error', message: `Unknown command "${name}". Commands: ${CLI_COMMANDS.join(', ')}.` };
  }
  const command = name as CliCommandName;
  if (command === 'invoice-pdf') {
    if (rest.length !== 1)
      return {
        kind: 'error',
        message: 'invoice-pdf takes one invoice ID, e.g. `invoice-pdf in_123 --out invoice.pdf`.',
      };
    if (!values.out) return { kind: 'error', message: 'invoice-pdf needs --out <file> to say where to save the PDF.' };
  } else if (rest.length > 0) {
    return { kind: 'error', message: `${command} takes no arguments, got "${rest.join(' ')}".` };
  } else if (values.out) {
    return { kind: 'error', message: '--out only applies to invoice-pdf.' };
  }
  return {
    kind: 'run',
    invocation: {
      command,
      invoiceId: command === 'invoice-pdf' ? rest[0] : undefined,
      out: values.out,
      json: values.json ?? false,
      url: values.url ?? nonEmpty(env.VIAM_APP_URL),
      orgId: values['org-id'] ?? nonEmpty(env.VIAM_ORG_ID),
      apiKeyId: values['key-id'] ?? nonEmpty(env.VIAM_API_KEY_ID),
      apiKey: values.key ?? nonEmpty(env.VIAM_API_KEY),
    },
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'org-id': { type: 'string' },
      'key-id': { type: 'string' },
      key: { type: 'string' },
      url: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}
