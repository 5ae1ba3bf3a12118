import { WorkspaceCapture } from '../../../../bench/lib/scale/capture';
import { MemoryKv } from '../../../../bench/lib/scale/memory-kv';
import { QUIET_MS, quietSlot, slotAt } from '../../../../bench/lib/scale/plan';
import { ORG_CHECK_QUEUE } from '../../../../src/alerts/check-times';
import { nextOccurrence } from '../../../../src/digest/occurrences';
import { DIGEST_QUEUE } from '../../../../src/digest/schedules';

const NOW = new Date('2026-12-02T10:30:00.000Z');
const ORG = {
  orgId: 'a1b2c3d4-0000-4000-8000-000000000001',
  apiKeyId: 'a1b2c3d4-0000-4000-8000-000000000002',
  apiKey: 'bench-fake-secret-0001',
};

describe('the scale plan', () => {
  it('never schedules a seeded digest within the quiet window', () => {
    for (let index = 0; index < 2_000; index++) {
      const next = nextOccurrence(quietSlot(index, NOW), NOW).at.getTime();
      expect(next - NOW.getTime()).toBeGreaterThanOrEqual(QUIET_MS - 60 * 60_000);
    }
  });

  it('names the slot an instant falls in, in its own zone', () => {
    expect(slotAt(NOW, 'Asia/Tokyo')).toEqual({ weekday: 'wed', time: '19:30', timeZone: 'Asia/Tokyo' });
  });
});

describe('seeding capture', () => {
  it('writes one workspace as the app lays it out: 14 records, 3 audit entries, 2 due times', async () => {
    const capture = new WorkspaceCapture('sqlite', 'viam-billing', NOW);
    await capture.add(7, ORG);
    const batch = capture.drain();
    expect(batch.workspaces).toEqual(new Set(['TB00000007']));
    expect(batch.records.size).toBe(14);
    expect([...batch.records.keys()].every((key) => key.startsWith('ws:TB00000007:'))).toBe(true);
    expect([...batch.logs.values()].map((entries) => entries.length)).toEqual([3]);
    expect(batch.due.get(DIGEST_QUEUE)?.size).toBe(1);
    expect(batch.due.get(ORG_CHECK_QUEUE)?.size).toBe(1);
    for (const members of batch.due.values()) {
      for (const at of members.values()) expect(at).toBeGreaterThan(NOW.getTime() + QUIET_MS - 60 * 60_000);
    }
    // The API key is sealed, never stored as given.
    const workspace = batch.records.get('ws:TB00000007:workspace') ?? '';
    expect(workspace).not.toContain(ORG.apiKey);
    expect(JSON.parse(workspace).value.data.orgs[0].sealedKey).toMatch(/^v1\./);
    expect(capture.drain().records.size).toBe(0);
  });
});

describe('MemoryKv', () => {
  it('writes compare-and-set like a backend', async () => {
    const kv = new MemoryKv('redis', 'viam-billing');
    expect(await kv.write('ws:T1:a', { n: 1 }, null)).toBe('written');
    expect(await kv.write('ws:T1:a', { n: 2 }, null)).toBe('conflict');
    const raw = await kv.readRaw('ws:T1:a');
    expect(await kv.write('ws:T1:a', { n: 2 }, raw)).toBe('written');
    expect(await kv.get('ws:T1:a')).toEqual({ n: 2 });
    expect(await kv.listKeys('ws:T1:')).toEqual(['ws:T1:a']);
  });
});
