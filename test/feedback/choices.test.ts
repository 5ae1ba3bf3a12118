import { AlertFeedback } from '../../src/feedback/choices';
import { openStore, type Store } from '../../src/store';
import { captureLog, newEncryptionKey, tempDir, uniqueNamespace } from '../store/support';

const ref = { teamId: 'T1' };
const NOV = '2026-11-01T00:00:00.000Z';
const DEC = '2026-12-01T00:00:00.000Z';

describe('AlertFeedback', () => {
  let store: Store;
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
  });

  afterEach(async () => {
    await store.close();
    await remove();
  });

  it('keeps every answer and returns those to the same alert', async () => {
    const feedback = new AlertFeedback(store);
    const at = '2026-11-26T15:00:00.000Z';
    await feedback.record(ref, 'org-1', NOV, { alert: 'budget:80', choice: 'investigating', userId: 'U1', at });
    const answers = await feedback.record(ref, 'org-1', NOV, {
      alert: 'anomaly:line:egress:2026-11-26',
      line: 'line:egress',
      choice: 'unexpected',
      userId: 'U2',
      at,
    });
    expect(answers.map((entry) => entry.choice)).toEqual(['unexpected']);
    const again = await feedback.record(ref, 'org-1', NOV, {
      alert: 'budget:80',
      choice: 'expected',
      userId: 'U2',
      at,
    });
    expect(again.map((entry) => [entry.userId, entry.choice])).toEqual([
      ['U1', 'investigating'],
      ['U2', 'expected'],
    ]);
  });

  it('mutes a line whose latest answer is Expected, for that period and org only', async () => {
    const feedback = new AlertFeedback(store);
    const at = '2026-11-26T15:00:00.000Z';
    const answer = (line: string, choice: 'expected' | 'unexpected') => ({
      alert: `anomaly:${line}:2026-11-26`,
      line,
      choice,
      userId: 'U1',
      at,
    });
    await feedback.record(ref, 'org-1', NOV, answer('line:egress', 'expected'));
    await feedback.record(ref, 'org-1', NOV, answer('line:compute', 'expected'));
    await feedback.record(ref, 'org-1', NOV, answer('line:compute', 'unexpected'));
    expect([...(await feedback.mutedLines(ref, 'org-1', NOV))]).toEqual(['line:egress']);
    expect(await feedback.mutedLines(ref, 'org-1', DEC)).toEqual(new Set());
    expect(await feedback.mutedLines(ref, 'org-2', NOV)).toEqual(new Set());
    expect(await feedback.mutedLines({ teamId: 'T2' }, 'org-1', NOV)).toEqual(new Set());
  });
});
