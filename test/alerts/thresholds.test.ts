import fc from 'fast-check';
import {
  BUDGET_THRESHOLDS,
  type BudgetThreshold,
  crossedThresholds,
  planBudgetAlert,
} from '../../src/alerts/thresholds';

describe('crossedThresholds', () => {
  it('counts exactly 50%, 80% and 100% as crossed, and a cent less as not', () => {
    expect(crossedThresholds({ spent: 500, budget: 1000 })).toEqual(['spent-50']);
    expect(crossedThresholds({ spent: 499.99, budget: 1000 })).toEqual([]);
    expect(crossedThresholds({ spent: 800, budget: 1000 })).toEqual(['spent-50', 'spent-80']);
    expect(crossedThresholds({ spent: 799.99, budget: 1000 })).toEqual(['spent-50']);
    expect(crossedThresholds({ spent: 1000, budget: 1000 })).toEqual(['spent-50', 'spent-80', 'spent-100']);
    expect(crossedThresholds({ spent: 999.99, budget: 1000 })).toEqual(['spent-50', 'spent-80']);
  });

  it('is not fooled by floating point: 0.1 + 0.2 of a $0.60 budget is exactly half', () => {
    expect(crossedThresholds({ spent: 0.1 + 0.2, budget: 0.6 })).toEqual(['spent-50']);
    expect(crossedThresholds({ spent: 812.4, budget: 1015.5 })).toEqual(['spent-50', 'spent-80']);
  });

  it('counts the projection only when it goes over the budget, and only when there is one', () => {
    expect(crossedThresholds({ spent: 300, budget: 1000, projected: 1000 })).toEqual([]);
    expect(crossedThresholds({ spent: 300, budget: 1000, projected: 1000.01 })).toEqual(['projected-over']);
    expect(crossedThresholds({ spent: 600, budget: 1000, projected: 1200 })).toEqual(['spent-50', 'projected-over']);
    expect(crossedThresholds({ spent: 600, budget: 1000 })).toEqual(['spent-50']);
  });

  it('crosses nothing without a usable budget or with unreadable spend', () => {
    expect(crossedThresholds({ spent: 100, budget: 0 })).toEqual([]);
    expect(crossedThresholds({ spent: 100, budget: Number.NaN })).toEqual([]);
    expect(crossedThresholds({ spent: Number.NaN, budget: 100 })).toEqual([]);
  });
});

describe('planBudgetAlert', () => {
  it('alerts the one newly crossed threshold', () => {
    expect(planBudgetAlert(['spent-50'], new Set())).toEqual({ alert: 'spent-50', covers: [] });
    expect(planBudgetAlert(['spent-50', 'spent-80'], new Set(['spent-50']))).toEqual({
      alert: 'spent-80',
      covers: [],
    });
  });

  it('sends one alert for the most serious of several crossed at once and covers the others', () => {
    // A budget set when 85% is already spent: one 80% alert, the 50% one counts as told.
    expect(planBudgetAlert(['spent-50', 'spent-80'], new Set())).toEqual({ alert: 'spent-80', covers: ['spent-50'] });
    expect(planBudgetAlert(['spent-50', 'spent-80', 'projected-over'], new Set(['spent-50']))).toEqual({
      alert: 'projected-over',
      covers: ['spent-80'],
    });
    expect(planBudgetAlert(BUDGET_THRESHOLDS, new Set())).toEqual({
      alert: 'spent-100',
      covers: ['spent-50', 'spent-80', 'projected-over'],
    });
  });

  it('alerts a less serious threshold crossed later on its own', () => {
    // The projection went over at 60% spent; reaching 80% later is still news.
    expect(
      planBudgetAlert(['spent-50', 'spent-80', 'projected-over'], new Set(['spent-50', 'projected-over'])),
    ).toEqual({ alert: 'spent-80', covers: [] });
  });

  it('has nothing to send when everything crossed was dealt with', () => {
    expect(planBudgetAlert([], new Set())).toBeUndefined();
    expect(planBudgetAlert(['spent-50'], new Set(['spent-50']))).toBeUndefined();
  });

  it('never alerts what is done, and alerts plus covers are exactly what is newly crossed', () => {
    const threshold = fc.constantFrom(...BUDGET_THRESHOLDS);
    fc.assert(
      fc.property(fc.uniqueArray(threshold), fc.uniqueArray(threshold), (crossed, done) => {
        const plan = planBudgetAlert(crossed, new Set(done));
        const fresh = crossed.filter((item) => !done.includes(item));
        if (fresh.length === 0) return plan === undefined;
        if (!plan) return false;
        const told: BudgetThreshold[] = [...plan.covers, plan.alert];
        const rank = (item: BudgetThreshold) => BUDGET_THRESHOLDS.indexOf(item);
        return (
          told.length === fresh.length &&
          fresh.every((item) => told.includes(item)) &&
          plan.covers.every((item) => rank(item) < rank(plan.alert))
        );
      }),
    );
  });
});
