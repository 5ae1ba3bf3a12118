import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import { EncryptionKey, loadEncryptionKey, parseKeyList } from '../../src/store/seal';
import { captureLog, newEncryptionKey, tempDir } from './support';

function thrown(work: () => unknown): { kind: string; message: string } {
  try {
    work();
  } catch (error) {
    return error as { kind: string; message: string };
  }
  throw new Error('expected a throw');
}

describe('EncryptionKey', () => {
  const key = new EncryptionKey(randomBytes(32));

  it('round-trips with a fresh IV each time, in the versioned format', () => {
    const first = key.seal('s3cret-value', 'ctx-1');
    const second = key.seal('s3cret-value', 'ctx-1');
    expect(first).not.toBe(second);
    expect(first).toMatch(new RegExp(`^v1\\.${key.id}\\.[\\w-]{16}\\.[\\w-]{22}\\.[\\w-]+$`));
    expect(first).not.toContain('s3cret');
    expect(key.unseal(first, 'ctx-1')).toBe('s3cret-value');
    expect(key.unseal(second, 'ctx-1')).toBe('s3cret-value');
  });

  it('refuses another context, tampering and garbage as corrupt', () => {
    const sealed = key.seal('s3cret-value', 'ws-A|org-1');
    expect(thrown(() => key.unseal(sealed, 'ws-B|org-1')).kind).toBe('corrupt');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    parts[4] = body.toString('base64url');
    expect(thrown(() => key.unseal(parts.join('.'), 'ws-A|org-1')).kind).toBe('corrupt');
    expect(thrown(() => key.unseal('not sealed', 'ws-A|org-1')).kind).toBe('corrupt');
  });

  it('names a different key as a key mismatch', () => {
    const sealed = key.seal('s3cret-value', 'ctx');
    const error = thrown(() => new EncryptionKey(randomBytes(32)).unseal(sealed, 'ctx'));
    expect(error.kind).toBe('key_mismatch');
    expect(error.message).toContain('ENCRYPTION_KEY');
  });

  it('never shows its bytes when logged or printed', () => {
    const bytes = randomBytes(32);
    const shown = new EncryptionKey(bytes);
    for (const text of [JSON.stringify({ shown }), inspect(shown), String(Object.values(shown))]) {
      expect(text).not.toContain(bytes.toString('base64'));
      expect(text).not.toContain(bytes.toString('hex'));
    }
  });
});

describe('loadEncryptionKey', () => {
  let dir = '';
  let remove = async () => {};
  beforeEach(async () => {
    ({ dir, remove } = await tempDir());
  });
  afterEach(() => remove());

  it('uses ENCRYPTION_KEY when it is 32 bytes of base64', async () => {
    const text = newEncryptionKey();
    const key = await loadEncryptionKey({ encryptionKey: text, dataDir: dir, logger: captureLog().logger });
    const sealed = key.seal('x', 'c');
    expect(new EncryptionKey(Buffer.from(text, 'base64')).unseal(sealed, 'c')).toBe('x');
    await expect(stat(path.join(dir, 'encryption.key'))).rejects.toThrow();
  });

  it.each([
    ['not base64', 'this is not base64!'],
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
  ])('explains a bad ENCRYPTION_KEY (%s) without echoing it', async (_name, value) => {
    const error = await loadEncryptionKey({ encryptionKey: value, dataDir: dir, logger: captureLog().logger }).catch(
      (caught: unknown) => caught as { kind: string; message: string },
    );
    expect(error).toMatchObject({ kind: 'invalid' });
    expect((error as { message: string }).message).toContain('ENCRYPTION_KEY');
    expect((error as { message: string }).message).toContain('openssl rand -base64 32');
    expect((error as { message: string }).message).not.toContain(value);
  });

  it('generates a key file once with mode 0600, warns to back it up, and reuses it', async () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const log = captureLog();
    const first = await loadEncryptionKey({ dataDir, logger: log.logger });
    const file = path.join(dataDir, 'encryption.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = (await readFile(file, 'utf8')).trim();
    expect(Buffer.from(text, 'base64')).toHaveLength(32);
    const warning = log.entries().find((entry) => entry.level === 40);
    expect(String(warning?.msg)).toContain('back it up');
    expect(log.text()).not.toContain(text);

    const second = await loadEncryptionKey({ dataDir, logger: log.logger });
    expect(second.id).toBe(first.id);
    expect(second.unseal(first.seal('x', 'c'), 'c')).toBe('x');
    expect((await readFile(file, 'utf8')).trim()).toBe(text);
    expect(log.entries().filter((entry) => String(entry.msg).includes('generated'))).toHaveLength(1);
  });

  it('agrees on one key when two loads race to create the file', async () => {
    const keys = await Promise.all(
      Array.from({ length: 5 }, () => loadEncryptionKey({ dataDir: dir, logger: captureLog().logger })),
    );
    expect(new Set(keys.map((key) => key.id)).size).toBe(1);
  });

  it('refuses a damaged key file and warns about one others can read', async () => {
    const file = path.join(dir, 'encryption.key');
    await writeFile(file, 'garbage\n', { mode: 0o600 });
    const error = await loadEncryptionKey({ dataDir: dir, logger: captureLog().logger }).catch(
      (caught: unknown) => caught as { kind: string; message: string },
    );
    expect(error).toMatchObject({ kind: 'invalid' });
    expect((error as { message: string }).message).toContain(file);

    await writeFile(file, `${newEncryptionKey()}\n`);
    await chmod(file, 0o644);
    const log = captureLog();
    await loadEncryptionKey({ dataDir: dir, logger: log.logger });
    expect(log.text()).toContain('chmod 600');
  });
});

describe('previous keys (ENCRYPTION_KEY_PREVIOUS)', () => {
  const bytes = () => randomBytes(32);

  it('open what they sealed, never seal, and re-seal into the current key', () => {
    const old = new EncryptionKey(bytes());
    const sealedByOld = old.seal('viam-secret-rotated', 'ctx');
    const current = new EncryptionKey(bytes()).withPrevious([old]);
    expect(current.unseal(sealedByOld, 'ctx')).toBe('viam-secret-rotated');
    expect(current.sealedWithThis(sealedByOld)).toBe(false);
    const resealed = current.reseal(sealedByOld, 'ctx');
    expect(current.sealedWithThis(resealed)).toBe(true);
    expect(current.reseal(resealed, 'ctx')).toBe(resealed);
    expect(current.seal('x', 'ctx').split('.')[1]).toBe(current.id);
    expect(current.previousIds).toEqual([old.id]);
    // The old key alone cannot open what the new one sealed.
    expect(() => old.unseal(resealed, 'ctx')).toThrow(expect.objectContaining({ kind: 'key_mismatch' }));
  });

  it('still refuse a value from a key that is neither current nor previous', () => {
    const stranger = new EncryptionKey(bytes()).seal('x', 'ctx');
    const current = new EncryptionKey(bytes()).withPrevious([new EncryptionKey(bytes())]);
    expect(() => current.unseal(stranger, 'ctx')).toThrow(expect.objectContaining({ kind: 'key_mismatch' }));
  });

  it('are read as a list separated by commas or spaces, and a bad entry is named without its value', () => {
    const [a, b] = [newEncryptionKey(), newEncryptionKey()];
    expect(parseKeyList(`${a}, ${b}`)).toHaveLength(2);
    expect(parseKeyList(undefined)).toEqual([]);
    let message = '';
    try {
      parseKeyList(`${a},not-a-key-value`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^ENCRYPTION_KEY_PREVIOUS must be 32-byte base64 keys/);
    expect(message).not.toContain('not-a-key-value');
  });
});
