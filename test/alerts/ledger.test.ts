import {
  AlertLedger,
  type AlertRecord,
  alertedThresholds,
  budgetAlertId,
  invoiceAlertId,
} from '../../src/alerts/ledger';
import { openStore, type Store } from '../../src/store';
import { captureLog, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';

const TEAM = { teamId: 'T0LEDGER01' };
const ORG = 'a1b2c3d4-0000-4000-8000-000000000001';
const OTHER_ORG = 'a1b2c3d4-0000-4000-8000-000000000002';
const NOV = new Date('2026-11-01T00:00:00Z');
const SET_AT = '2026-11-03T09:00:00.000Z';
const NOW = new Date('2026-11-26T15:00:00Z');

describe('AlertLedger', () => {
  let store: Store;
  let ledger: AlertLedger;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    store = await openStore({
      dataDir: temp.dir,
      namespace: uniqueNamespace(),
      encryptionKey: newEncryptionKey(),
      logger: captureLog().logger,
    });
    ledger = new AlertLedger(store);
  });

  afterEach(async () => {
    await store.close();
    await remove();
  });

  function record(alertId: string, fields: Partial<AlertRecord> = {}): AlertRecord {
    return { orgId: ORG, alertId, state: 'posted', attempts: 1, updatedAt: NOW.toISOString(), ...fields };
  }

  it('names budget alerts by period, amount and threshold, and invoice alerts by invoice and event', () => {
    expect(budgetAlertId(NOV, SET_AT, 'spent-80')).toBe(`budget:2026-11-01:${Date.parse(SET_AT)}:spent-80`);
    expect(invoiceAlertId('in_1Q5dwGLzZ8juh4cD', 'payment-failed')).toBe('invoice:in_1Q5dwGLzZ8juh4cD:payment-failed');
    // Anything that is not a plain ID is hashed, so it can neither break the key nor make it too long.
    const odd = invoiceAlertId('in/../x y'.repeat(30), 'new');
    expect(odd).toMatch(/^invoice:h-[0-9a-f]{32}:new$/);
    expect(invoiceAlertId('in/../x y'.repeat(30), 'new')).toBe(odd);
    expect(ledger.claimKey(TEAM, ORG, odd).length).toBeLessThanOrEqual(180);
  });

  it('counts only finished thresholds of this period and amount as done', async () => {
    await ledger.put(TEAM, record(budgetAlertId(NOV, SET_AT, 'spent-50')));
    await ledger.put(TEAM, record(budgetAlertId(NOV, SET_AT, 'spent-80'), { state: 'covered' }));
    await ledger.put(TEAM, record(budgetAlertId(NOV, SET_AT, 'projected-over'), { state: 'posting' }));
    await ledger.put(TEAM, record(budgetAlertId(NOV, SET_AT, 'spent-100'), { state: 'failed' }));
    await ledger.put(TEAM, record(budgetAlertId(new Date('2026-10-01T00:00:00Z'), SET_AT, 'spent-100')));

    expect([...(await ledger.doneThresholds(TEAM, ORG, NOV, SET_AT))].sort()).toEqual(['spent-50', 'spent-80']);
    expect(await alertedThresholds(store, TEAM, { orgId: ORG, amountSetAt: SET_AT }, NOV)).toEqual([
      'spent-50',
      'spent-80',
    ]);
    // A new amount starts over; another org has its own.
    expect(await alertedThresholds(store, TEAM, { orgId: ORG, amountSetAt: NOW.toISOString() }, NOV)).toEqual([]);
    expect(await alertedThresholds(store, TEAM, { orgId: OTHER_ORG, amountSetAt: SET_AT }, NOV)).toEqual([]);
  });

  it('marks alerts covered or seen without touching ones already finished', async () => {
    const posted = invoiceAlertId('in_posted000', 'new');
    const pending = invoiceAlertId('in_pending00', 'new');
    const fresh = invoiceAlertId('in_fresh0000', 'new');
    await ledger.put(TEAM, record(posted, { messageTs: '1.000100' }));
    await ledger.put(TEAM, record(pending, { state: 'failed', attempts: 2 }));

    await ledger.markDone(
      TEAM,
      { orgId: ORG, updatedAt: NOW.toISOString(), coveredBy: 'x' },
      [posted, pending, fresh],
      'covered',
    );
    expect(await ledger.get(TEAM, ORG, posted)).toMatchObject({ state: 'posted', messageTs: '1.000100' });
    expect(await ledger.get(TEAM, ORG, pending)).toMatchObject({ state: 'covered', coveredBy: 'x', attempts: 2 });
    expect(await ledger.get(TEAM, ORG, fresh)).toMatchObject({ state: 'covered', attempts: 0 });

    const events = await ledger.recordedInvoiceEvents(TEAM, ORG, ['in_posted000', 'in_fresh0000', 'in_unknown00', '']);
    expect(Object.fromEntries([...events].map(([id, done]) => [id, [...done]]))).toEqual({
      in_posted000: ['new'],
      in_fresh0000: ['new'],
      in_unknown00: [],
    });
  });

  it('remembers which budget its invoice baseline was taken for', async () => {
    expect(await ledger.hasBaseline(TEAM, ORG, SET_AT)).toBe(false);
    await ledger.setBaseline(TEAM, ORG, SET_AT, NOW);
    expect(await ledger.hasBaseline(TEAM, ORG, SET_AT)).toBe(true);
    expect(await ledger.hasBaseline(TEAM, ORG, NOW.toISOString())).toBe(false);
    expect(await ledger.hasBaseline(TEAM, OTHER_ORG, SET_AT)).toBe(false);
  });

  it('prunes budget records of long-gone periods and records of invoices Viam no longer lists', async () => {
    const june = new Date('2026-06-01T00:00:00Z');
    const keep = [
      record(budgetAlertId(NOV, SET_AT, 'spent-50'), { periodStart: NOV.toISOString() }),
      record(invoiceAlertId('in_listed000', 'new'), {
        invoiceId: 'in_listed000',
        updatedAt: '2025-01-01T00:00:00.000Z',
      }),
      record(invoiceAlertId('in_recent000', 'new'), {
        invoiceId: 'in_recent000',
        updatedAt: '2026-10-01T00:00:00.000Z',
      }),
      record(budgetAlertId(june, SET_AT, 'spent-50'), { orgId: OTHER_ORG, periodStart: june.toISOString() }),
    ];
    const gone = [
      record(budgetAlertId(june, SET_AT, 'spent-50'), { periodStart: june.toISOString() }),
      record(invoiceAlertId('in_dropped00', 'overdue'), {
        invoiceId: 'in_dropped00',
        updatedAt: '2025-01-01T00:00:00.000Z',
      }),
    ];
    for (const item of [...keep, ...gone]) await ledger.put(TEAM, item);

    expect(await ledger.prune(TEAM, ORG, new Set(['in_listed000']), NOW)).toBe(2);
    for (const item of keep) expect(await ledger.get(TEAM, item.orgId, item.alertId)).toEqual(item);
    for (const item of gone) expect(await ledger.get(TEAM, item.orgId, item.alertId)).toBeUndefined();
  });

  it('goes with the workspace', async () => {
    await ledger.put(TEAM, record(budgetAlertId(NOV, SET_AT, 'spent-50')));
    await store.workspaces.deleteWorkspace(TEAM);
    expect(await ledger.get(TEAM, ORG, budgetAlertId(NOV, SET_AT, 'spent-50'))).toBeUndefined();
  });
});
