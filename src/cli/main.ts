/**
 * The operator CLI: check a key before connecting it to Slack, or read an org's billing from a
 * terminal. `npm run cli -- <command>`, or the `viam-billing` bin after `npm run build`.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createBillingClient } from '../billing';
import { isViamBillingError } from '../billing/errors';
import type { ViamApiKey } from '../billing/model';
import { silentLogger } from '../logger';
import { type ProxySettings, ProxySettingsError, readProxySettings } from '../network/proxy-settings';
import { type CliInvocation, parseCliArgs, USAGE_TEXT } from './args';
import { renderBillingInfo, renderInvoices, renderUsage } from './render';
import { runRotateKey } from './rotate-key';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now?: () => Date;
}

export const EXIT_OK = 0;
export const EXIT_API_ERROR = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // The one command about the store rather than Viam: it takes no flags, only the app's environment.
  if (argv[0] === 'rotate-key' && argv.length === 1) return runRotateKey(io);
  const parsed = parseCliArgs(argv, io.env);
  if (parsed.kind === 'help') {
    io.stdout(USAGE_TEXT);
    return EXIT_OK;
  }
  if (parsed.kind === 'error') {
    io.stderr(`viam-billing: ${parsed.message}`);
    return EXIT_USAGE;
  }
  const invocation = parsed.invocation;
  const missing = missingCredentials(invocation);
  if (missing) {
    io.stderr(`viam-billing: ${missing}`);
    return EXIT_USAGE;
  }
  let proxy: ProxySettings;
  try {
    proxy = readProxySettings(io.env);
  } catch (error) {
    if (!(error instanceof ProxySettingsError)) throw error;
    io.stderr(`viam-billing: ${error.problems.join(' ')}`);
    return EXIT_USAGE;
  }
  const client = createBillingClient({ url: invocation.url, proxy, logger: silentLogger() });
  try {
    await execute(invocation, client, io);
    return EXIT_OK;
  } catch (error) {
    if (isViamBillingError(error)) {
      io.stderr(`viam-billing: ${error.message}`);
      return error.kind === 'invalid_argument' ? EXIT_USAGE : EXIT_API_ERROR;
    }
    io.stderr(`viam-billing: ${(error as Error).message}`);
    return EXIT_API_ERROR;
  } finally {
    client.close();
  }
}

type Client = ReturnType<typeof createBillingClient>;

async function execute(invocation: CliInvocation, client: Client, io: CliIo): Promise<void> {
  const key: ViamApiKey = { id: invocation.apiKeyId as string, key: invocation.apiKey as string };
  const orgId = invocation.orgId as string;
  const now = io.now?.() ?? new Date();
  const print = (human: string, machine: unknown) =>
    io.stdout(invocation.json ? JSON.stringify(machine, null, 2) : human);

  switch (invocation.command) {
    case 'usage': {
      const report = await client.getCurrentMonthUsage(key, orgId);
      return print(renderUsage(report), report);
    }
    case 'invoices': {
      const summary = await client.getInvoicesSummary(key, orgId);
      return print(renderInvoices(summary, now), summary);
    }
    case 'billing-info': {
      const info = await client.getOrgBillingInformation(key, orgId);
      return print(renderBillingInfo(info), info);
    }
    case 'invoice-pdf': {
      const pdf = await client.getInvoicePdf(key, orgId, invocation.invoiceId as string);
      const file = path.resolve(invocation.out as string);
      await writeAtomically(file, pdf);
      return print(`Saved ${pdf.length} bytes to ${file}`, { file, bytes: pdf.length });
    }
    case 'check': {
      await client.checkAccess(key, orgId);
      return print(`OK: key ${maskKeyId(key.id)} can read billing for org ${orgId}.`, { ok: true, orgId });
    }
  }
}

function missingCredentials(invocation: CliInvocation): string | undefined {
  const missing = [
    invocation.orgId ? undefined : 'VIAM_ORG_ID (or --org-id)',
    invocation.apiKeyId ? undefined : 'VIAM_API_KEY_ID (or --key-id)',
    invocation.apiKey ? undefined : 'VIAM_API_KEY (or --key)',
  ].filter((name): name is string => name !== undefined);
  if (missing.length === 0) return undefined;
  return `Set ${missing.join(', ')}. Make an org-owner key with \`viam organizations api-key create --org-id <org-id>\`.`;
}

/** Readers of `file` see either the old content or the whole PDF, never a part of it. */
async function writeAtomically(file: string, content: Buffer): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`Could not save the PDF to ${file}: ${(error as NodeJS.ErrnoException).code ?? 'write failed'}.`);
  }
}

function maskKeyId(id: string): string {
  return `…${id.slice(-4)}`;
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
