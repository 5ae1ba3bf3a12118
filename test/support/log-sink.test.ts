import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeLeaks, knownTestSecrets, STACK_ENCRYPTION_KEY, scanLogSink } from './log-sink';

/** The scanner the end-of-run check relies on: it must find what it is meant to find. */
describe('log sink scan', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'log-sink-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports lines holding a fixed test secret, a listed one or a Viam access token, without printing them', async () => {
    const listed = 'xoxb-listed-by-a-stack-0001';
    await writeFile(path.join(dir, 'stack-1.secrets.json'), JSON.stringify([listed]));
    await writeFile(
      path.join(dir, 'stack-1.log'),
      [
        '{"msg":"fine"}',
        `{"msg":"oops","key":"demo-acme-key-not-a-real-secret"}`,
        `{"msg":"oops","token":"${listed}"}`,
        `{"msg":"oops","auth":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrZXkifQ.c2lnbmF0dXJlMTIz"}`,
        `{"msg":"oops","enc":"${STACK_ENCRYPTION_KEY}"}`,
        '',
      ].join('\n'),
    );
    const scan = scanLogSink(dir);
    expect(scan).toMatchObject({ files: 1, lines: 5 });
    expect(scan.leaks.map((leak) => [leak.line, leak.secret])).toEqual([
      [2, 'emulator API key #1'],
      [3, 'a secret from the environment of stack-1'],
      [4, 'a Viam access token'],
      [5, 'local stack encryption key'],
    ]);
    const report = describeLeaks(scan);
    expect(report).toContain('stack-1.log:2 holds emulator API key #1');
    for (const secret of [...knownTestSecrets().map((known) => known.value), listed]) {
      expect(report).not.toContain(secret);
    }
  });

  it('finds nothing in clean logs', async () => {
    await writeFile(path.join(dir, 'a.log'), '{"msg":"viam call succeeded","keyIdSuffix":"e5d2"}\n');
    expect(scanLogSink(dir)).toEqual({ files: 1, lines: 1, leaks: [] });
  });
});
