/**
 * CSV exports end to end: `/viam-usage usage csv` and `invoices csv` read the emulator over gRPC and
 * upload a CSV file to the stand-in, which is parsed back here and compared with Viam's numbers.
 */
import { parse } from 'csv-parse/sync';
import { csvFileName } from '../../src/services/csv-export';
import { CHANNELS, FIXED_NOW, status, USERS, useLocalStack } from '../support/stack';

const stackOf = useLocalStack();

function acme() {
  const org = stackOf().emulator.orgs[0];
  if (!org) throw new Error('the emulator fixture has no org');
  return { org, key: { id: org.apiKeyId, key: org.apiKey } };
}

async function exported(text: string, channel: string = CHANNELS.billing) {
  const stack = stackOf();
  const result = await stack.command(text, { channel, waitForAnswer: false });
  expect(result.ack.status).toBe(200);
  await stack.slack.waitForCall('files.completeUploadExternal', (call) => call.ok, 5_000);
  const [file] = stack.slack.uploadedFiles();
  if (!file) throw new Error('no file was uploaded');
  return file;
}

function cents(value: string | number): number {
  return Math.round(Number(value) * 100);
}

describe('usage csv', () => {
  it('uploads one row per source and cost line, equal to Viam’s month to the cent', async () => {
    const stack = stackOf();
    const file = await exported('usage csv');
    expect(file.filename).toBe('viam-usage-default-2026-11-26.csv');
    expect(file.channel).toBe(CHANNELS.billing);
    expect(file.initialComment).toBe(`<@${USERS.ada}> exported the Viam usage of default as CSV.`);

    const rows: Record<string, string>[] = parse(file.bytes.toString('utf8'), { bom: true, columns: true });
    const { org, key } = acme();
    const usage = await stack.app.services.billing.getCurrentMonthUsage(key, org.orgId);
    const lines = usage.sources.flatMap((source) => source.lines.map((line) => ({ source, line })));
    expect(lines.length).toBeGreaterThan(3);
    expect(rows).toHaveLength(lines.length);
    lines.forEach(({ source, line }, index) => {
      expect(rows[index]).toMatchObject({ source: source.kind, cost_type: line.key, category: line.category });
      expect(cents(rows[index]?.amount_usd ?? '')).toBe(cents(line.amount));
    });
    expect(rows[0]?.period_start).toBe(usage.periodStart.toISOString().slice(0, 10));
  });

  it('a Viam failure answers in words and uploads nothing', async () => {
    const stack = stackOf();
    stack.emulator.knobs.failNext('GetCurrentMonthUsage', 5, status.UNAVAILABLE);
    const { responseUrl } = await stack.command('usage csv', { channel: CHANNELS.billing, waitForAnswer: false });
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 10_000);
    expect((answer.body as { text: string }).text).toBe('Viam could not be reached just now. Try again in a minute.');
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });
});

describe('invoices csv', () => {
  it('uploads one row per invoice, equal to Viam’s list to the cent, with ISO dates', async () => {
    const stack = stackOf();
    const file = await exported('invoices csv', CHANNELS.finance);
    expect(file.filename).toBe('viam-invoices-default-2026-11-26.csv');
    const rows: Record<string, string>[] = parse(file.bytes.toString('utf8'), { bom: true, columns: true });
    const { org, key } = acme();
    const summary = await stack.app.services.billing.getInvoicesSummary(key, org.orgId);
    expect(rows).toHaveLength(summary.invoices.length);
    summary.invoices.forEach((invoice, index) => {
      const row = rows[index] as Record<string, string>;
      expect(row.invoice_id).toBe(invoice.id);
      expect(cents(row.amount_usd as string)).toBe(cents(invoice.amount));
      expect(row.invoice_date).toBe(invoice.date?.toISOString().slice(0, 10) ?? '');
      expect(row.due_date).toMatch(/^(\d{4}-\d{2}-\d{2})?$/);
    });
    expect(rows.some((row) => row.payment_failure === 'card_declined')).toBe(true);
  });

  it('someone without access gets the refusal and no file', async () => {
    const stack = stackOf();
    const { responseUrl } = await stack.command('invoices csv', {
      user: USERS.linus,
      channel: CHANNELS.billing,
      waitForAnswer: false,
    });
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toMatch(/access/i);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });

  it('a private channel the app is not in: the /invite sentence and no file', async () => {
    const stack = stackOf();
    const { responseUrl } = await stack.command('invoices csv', { channel: CHANNELS.leadership, waitForAnswer: false });
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toMatch(/\/invite/);
    expect(stack.slack.uploadedFiles()).toEqual([]);
  });
});

describe('csvFileName', () => {
  it('keeps file names safe whatever the label', () => {
    expect(csvFileName('usage', 'Rivet Farms / east', FIXED_NOW)).toBe('viam-usage-Rivet-Farms-east-2026-11-26.csv');
    expect(csvFileName('invoices', '////', FIXED_NOW)).toBe('viam-invoices-org-2026-11-26.csv');
  });
});
