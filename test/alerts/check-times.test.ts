import {
  checkMinute,
  nextCheckAt,
  ORG_CHECK_QUEUE,
  orgCheckMember,
  parseOrgCheckMember,
} from '../../src/alerts/check-times';

/** Where each org's hourly check falls: its own minute, the same on every replica and at every start. */
describe('org check times', () => {
  const ref = { teamId: 'T0ACMEROBO' };
  const orgId = 'bb51faf9-edae-49a7-9d27-42b2ba8b7144';

  it('spreads a thousand orgs over the hour instead of all at :00', () => {
    const perMinute = new Array<number>(60).fill(0);
    for (let index = 0; index < 1000; index++) {
      const minute = checkMinute({ teamId: `T0TEAM${index % 40}` }, `org-${index}`, 60);
      perMinute[minute] = (perMinute[minute] ?? 0) + 1;
    }
    // About 17 a minute; a hash that bunched them up would leave minutes empty or crowded.
    expect(Math.min(...perMinute)).toBeGreaterThan(0);
    expect(Math.max(...perMinute)).toBeLessThan(50);
  });

  it('puts different orgs, and one org in different workspaces, on their own minutes', () => {
    const minutes = ['org-a', 'org-b', 'org-c', 'org-d'].map((id) =>
      checkMinute(ref, `${orgId.slice(0, 30)}${id}`, 60),
    );
    expect(new Set(minutes).size).toBeGreaterThan(1);
    const elsewhere = [1, 2, 3, 4, 5].map((index) => checkMinute({ teamId: `T0OTHER${index}` }, orgId, 60));
    expect(new Set([checkMinute(ref, orgId, 60), ...elsewhere]).size).toBeGreaterThan(1);
    // Stable: the same inputs always give the same minute.
    expect(checkMinute(ref, orgId, 60)).toBe(checkMinute({ teamId: 'T0ACMEROBO' }, orgId, 60));
  });

  it('finds the next check strictly after a moment, at the org’s minute of each interval', () => {
    const minute = checkMinute(ref, orgId, 60);
    const at = (iso: string) => nextCheckAt(ref, orgId, 60, new Date(iso)).toISOString();
    const mm = String(minute).padStart(2, '0');
    expect(at('2026-11-26T10:00:00Z')).toBe(minute === 0 ? '2026-11-26T11:00:00.000Z' : `2026-11-26T10:${mm}:00.000Z`);
    // At its minute exactly, the next one is an hour on.
    expect(at(`2026-11-26T10:${mm}:00Z`)).toBe(`2026-11-26T11:${mm}:00.000Z`);
    expect(at(`2026-11-26T10:${mm}:00.001Z`)).toBe(`2026-11-26T11:${mm}:00.000Z`);

    // Every 15 minutes: four checks an hour, at the org's minute of each quarter.
    const quarter = checkMinute(ref, orgId, 15);
    const next = nextCheckAt(ref, orgId, 15, new Date('2026-11-26T10:00:00Z'));
    const second = nextCheckAt(ref, orgId, 15, next);
    expect(next.getUTCMinutes()).toBe(quarter === 0 ? 15 : quarter);
    expect(second.getTime() - next.getTime()).toBe(15 * 60_000);
  });

  it('refuses intervals that would space checks unevenly', () => {
    for (const minutes of [0, 7, 45, 61, 1.5, Number.NaN]) {
      expect(() => checkMinute(ref, orgId, minutes)).toThrow(RangeError);
    }
  });

  it('names each org by a workspace key, so it is deleted with the workspace', () => {
    const member = orgCheckMember({ teamId: 'T0ACMEROBO', enterpriseId: 'E0GRID' }, orgId);
    expect(member).toBe(`ws:E0GRID.T0ACMEROBO:org-check:${orgId}`);
    expect(parseOrgCheckMember(member)).toEqual({ ref: { teamId: 'T0ACMEROBO', enterpriseId: 'E0GRID' }, orgId });
    expect(parseOrgCheckMember(`ws:T0ACMEROBO:digest-schedule:C0BILLING0`)).toBeUndefined();
    expect(parseOrgCheckMember('nonsense')).toBeUndefined();
    expect(ORG_CHECK_QUEUE).toBe('org-check');
  });
});
