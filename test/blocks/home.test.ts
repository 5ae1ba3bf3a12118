import type { BudgetThreshold } from '../../src/alerts/thresholds';
import { type HomeData, type HomeOrg, type HomeView, renderHome } from '../../src/blocks/home';
import {
  ACTION_HOME_ACCESS,
  ACTION_HOME_BUDGET,
  ACTION_HOME_CONNECT,
  ACTION_HOME_DIGESTS,
  ACTION_HOME_DISCONNECT,
  ACTION_HOME_SHARE_PDF,
  decodeButtonValue,
} from '../../src/blocks/ids';
import { limitViolations } from '../../src/blocks/limits';
import { invoicesSummary, LONG_NASTY, manyInvoices, NOW, usageReport } from './fixtures';
import { blockText, buttons } from './helpers';

/** A Home tab has the limits of a modal (100 blocks); the checker knows views by their modal shape. */
function expectValidHome(view: HomeView): void {
  expect(view.type).toBe('home');
  expect(limitViolations({ type: 'modal', title: { type: 'plain_text', text: 'Home' }, blocks: view.blocks })).toEqual(
    [],
  );
}

function org(overrides: Partial<HomeOrg> = {}): HomeOrg {
  return {
    label: 'acme',
    isDefault: true,
    billing: { usage: usageReport, invoices: invoicesSummary, fetchedAt: NOW },
    schedules: [],
    ...overrides,
  };
}

function dashboard(orgs: HomeOrg[], canManage = true): HomeData {
  return { kind: 'dashboard', canManage, orgs, timeZone: 'America/New_York', now: NOW };
}

describe('renderHome', () => {
  it('shows an org’s month to date, projection, balance and the invoices that need attention', () => {
    const view = renderHome(dashboard([org()]));
    expectValidHome(view);
    const text = blockText(view);
    expect(text).toContain('*Month to date*\n$911.60\nNov 1 – Nov 30, 2026 · day 26 of 30');
    // 911.60 over 25.625 of 30 days.
    expect(text).toContain('*Projected month-end*\n$1,067.24');
    expect(text).toContain('*Budget*\nNo budget set');
    expect(text).toContain('*Outstanding balance*\n$610.50');
    expect(text).toContain(
      ':warning: *Payment failed:* $312.40 invoice of Oct 31, 2026, due Dec 15, 2026. The card was declined.',
    );
    expect(text).toContain(':warning: *Overdue:* $298.10 invoice of Sep 30, 2026, due Oct 15, 2026.');
    expect(text).toContain('As of Nov 26, 2026 10:00 (America/New_York)');
    const shares = buttons(view).filter((button) => button.action_id === ACTION_HOME_SHARE_PDF);
    expect(shares.map((button) => decodeButtonValue(button.value))).toEqual([
      { org: 'acme', invoice: 'in_oct2026' },
      { org: 'acme', invoice: 'in_sep2026' },
    ]);
  });

  it('shows the budget with spent and projected shares, and the thresholds already alerted', () => {
    const alerted: BudgetThreshold[] = ['spent-50', 'spent-80', 'projected-over'];
    const view = renderHome(dashboard([org({ budget: { amount: 1000, channelId: 'C0BILLING0', alerted } })]));
    expect(blockText(view)).toContain(
      '*Budget*\n$1,000.00 a month\n91% spent · 107% projected\nAlerted in <#C0BILLING0>: 50% spent, 80% spent, projected over',
    );
    const quiet = renderHome(dashboard([org({ budget: { amount: 5000, channelId: 'C0BILLING0', alerted: [] } })]));
    expect(blockText(quiet)).toContain(
      '*Budget*\n$5,000.00 a month\n18% spent · 21% projected\nAlerts in <#C0BILLING0>',
    );
  });

  it('does not project in the first day of the period', () => {
    const early = new Date('2026-11-01T12:00:00Z');
    const view = renderHome({
      ...dashboard([org({ budget: { amount: 100, channelId: 'C0BILLING0' } })]),
      now: early,
    } as HomeData);
    const text = blockText(view);
    expect(text).toContain('*Projected month-end*\nToo early in the period to tell');
    expect(text).toContain('912% spent · too early to project');
  });

  it('lists the digests with their next run', () => {
    const view = renderHome(
      dashboard([
        org({
          schedules: [
            {
              channelId: 'C0GENERAL0',
              orgLabel: 'acme',
              weekday: 'mon',
              time: '09:00',
              timeZone: 'Europe/Berlin',
              nextRun: new Date('2026-11-30T08:00:00Z'),
            },
          ],
        }),
      ]),
    );
    expect(blockText(view)).toContain(
      '*Weekly digests*\n• <#C0GENERAL0> every Monday at 09:00, next Nov 30, 2026 09:00 (Europe/Berlin)',
    );
  });

  it('gives managers the settings buttons, Disconnect behind a confirmation, and viewers none of them', () => {
    const managed = renderHome(dashboard([org()]));
    const ids = buttons(managed).map((button) => button.action_id);
    for (const id of [ACTION_HOME_CONNECT, ACTION_HOME_ACCESS, ACTION_HOME_BUDGET, ACTION_HOME_DIGESTS]) {
      expect(ids).toContain(id);
    }
    const disconnect = buttons(managed).find((button) => button.action_id === ACTION_HOME_DISCONNECT);
    expect(disconnect).toMatchObject({ style: 'danger', confirm: { style: 'danger' } });
    expect(decodeButtonValue(disconnect?.value)).toEqual({ org: 'acme' });

    const viewed = renderHome(dashboard([org()], false));
    expect(new Set(buttons(viewed).map((button) => button.action_id))).toEqual(new Set([ACTION_HOME_SHARE_PDF]));
  });

  it('puts a failed read on one line in its org and keeps the rest', () => {
    const view = renderHome(
      dashboard([
        org({ label: 'down', billing: { error: 'Viam could not be reached just now. Try again in a minute.' } }),
        org({
          label: 'half',
          isDefault: false,
          billing: { usage: usageReport, invoices: { error: 'Viam took too long.' }, fetchedAt: NOW },
        }),
        org({
          label: 'both',
          isDefault: false,
          billing: { usage: { error: 'Key revoked.' }, invoices: { error: 'Key revoked.' }, fetchedAt: NOW },
        }),
      ]),
    );
    expectValidHome(view);
    const text = blockText(view);
    expect(text).toContain(
      ':warning: *Billing could not be loaded:* Viam could not be reached just now. Try again in a minute.',
    );
    expect(text).toContain(':warning: *Invoices could not be loaded:* Viam took too long.');
    expect(text).toContain('$911.60');
    expect(text.match(/Key revoked\./g)).toHaveLength(1);
    expect(text).toContain('down (default)');
  });

  it('shows the age of the oldest cached read', () => {
    const older = new Date(NOW.getTime() - 45_000);
    const view = renderHome(
      dashboard([org({ billing: { usage: usageReport, invoices: invoicesSummary, fetchedAt: older } })]),
    );
    expect(blockText(view)).toContain('As of Nov 26, 2026 09:59 (America/New_York)');
  });

  it('keeps within 100 blocks and names the orgs left out', () => {
    const attention = {
      outstandingBalance: 10,
      invoices: manyInvoices(6).invoices.map((invoice) => ({ ...invoice, status: 'overdue' })),
    };
    const orgs = Array.from({ length: 25 }, (_, index) =>
      org({
        label: `org-${index}`,
        isDefault: index === 0,
        billing: { usage: usageReport, invoices: attention, fetchedAt: NOW },
      }),
    );
    const view = renderHome(dashboard(orgs));
    expectValidHome(view);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = blockText(view);
    expect(text).toMatch(/…and \d+ more that need attention/);
    expect(text).toMatch(/…and \d+ more orgs not shown here: `org-\d+`.*`org-24`/);
  });

  it('escapes what it did not write', () => {
    const view = renderHome(
      dashboard([org({ billing: { usage: usageReport, invoices: { error: LONG_NASTY }, fetchedAt: NOW } })]),
    );
    expectValidHome(view);
  });

  it('tells someone without access who to ask, with the help, and no buttons', () => {
    const view = renderHome({ kind: 'no-access', askUserIds: ['U0GRACEADM'] });
    expectValidHome(view);
    const text = blockText(view);
    expect(text).toContain('Ask <@U0GRACEADM> to run `/viam-usage access add @you`.');
    expect(text).toContain('How to use /viam-usage');
    expect(buttons(view)).toEqual([]);
  });

  it('asks for an org to be connected, with the button for someone who may', () => {
    const forManager = renderHome({ kind: 'not-connected', canManage: true });
    expectValidHome(forManager);
    expect(blockText(forManager)).toContain('No Viam org is connected to this workspace yet.');
    expect(buttons(forManager).map((button) => button.action_id)).toEqual([ACTION_HOME_CONNECT]);
    expect(buttons(renderHome({ kind: 'not-connected', canManage: false }))).toEqual([]);
  });
});
