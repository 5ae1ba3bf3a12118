import { z } from 'zod';
import { BUDGET_RECORD, type BudgetInput, Budgets, MAX_BUDGET } from '../../src/budgets/budgets';
import { openStore, type Store } from '../../src/store';
import {
  type CapturedLog,
  captureLog,
  newEncryptionKey,
  storeErrorOf,
  tempDir,
  uniqueNamespace,
} from '../store/support';

const TEAM = { teamId: 'T0BUDGETS1' };
const ORG = 'a1b2c3d4-0000-4000-8000-000000000001';

function input(fields: Partial<BudgetInput> = {}): BudgetInput {
  return {
    orgId: ORG,
    amount: 1000,
    channelId: 'C0BILLING0',
    setBy: 'U0ADAOWNER',
    setAt: '2026-11-03T09:00:00.000Z',
    ...fields,
  };
}

describe('Budgets', () => {
  let store: Store;
  let budgets: Budgets;
  let log: CapturedLog;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    const temp = await tempDir();
    remove = temp.remove;
    log = captureLog();
    store = await openStore({
      dataDir: temp.dir,
      namespace: uniqueNamespace(),
      encryptionKey: newEncryptionKey(),
      logger: log.logger,
    });
    budgets = new Budgets(store, log.logger);
  });

  afterEach(async () => {
    await store.close();
    await remove();
  });

  it('keeps a budget to the cent, and dates its amount from when it was set', async () => {
    const saved = await budgets.set(TEAM, input({ amount: 1234.567 }));
    expect(saved).toEqual({ ...input({ amount: 1234.57 }), amountSetAt: '2026-11-03T09:00:00.000Z' });
    expect(await budgets.get(TEAM, ORG)).toEqual(saved);
    expect(await budgets.amountFor(TEAM, ORG)).toBe(1234.57);
    expect(await budgets.listFor(TEAM)).toEqual([saved]);
  });

  it('keeps when the amount was set when only the channel changes, and starts it over for a new amount', async () => {
    await budgets.set(TEAM, input());
    const moved = await budgets.set(TEAM, input({ channelId: 'C0GENERAL0', setAt: '2026-11-10T09:00:00.000Z' }));
    expect(moved).toMatchObject({ channelId: 'C0GENERAL0', amountSetAt: '2026-11-03T09:00:00.000Z' });
    const raised = await budgets.set(TEAM, input({ amount: 1500, setAt: '2026-11-12T09:00:00.000Z' }));
    expect(raised.amountSetAt).toBe('2026-11-12T09:00:00.000Z');

    // Removed and set again with the same amount: a new budget, a new start.
    expect(await budgets.remove(TEAM, ORG)).toBe(true);
    expect(await budgets.remove(TEAM, ORG)).toBe(false);
    const again = await budgets.set(TEAM, input({ amount: 1500, setAt: '2026-11-20T09:00:00.000Z' }));
    expect(again.amountSetAt).toBe('2026-11-20T09:00:00.000Z');
  });

  it('reads a budget saved before amounts were dated as set in one go', async () => {
    const older = store.records({
      kind: BUDGET_RECORD.kind,
      version: 1,
      schema: z.object({
        orgId: z.string(),
        amount: z.number(),
        channelId: z.string(),
        setBy: z.string(),
        setAt: z.string(),
      }),
    });
    await older.set(TEAM, ORG, input());
    expect(await budgets.get(TEAM, ORG)).toEqual({ ...input(), amountSetAt: input().setAt });
  });

  it('refuses amounts that are not a budget', async () => {
    for (const amount of [0, -5, 0.004, MAX_BUDGET + 1, Number.NaN]) {
      expect(await storeErrorOf(budgets.set(TEAM, input({ amount })))).toMatchObject({ kind: 'invalid' });
    }
    expect(await budgets.get(TEAM, ORG)).toBeUndefined();
  });
});
