import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Logger } from '../logger';
import { StoreError } from './errors';

/**
 * Secrets at rest: AES-256-GCM with a random 12-byte IV per value, stored as
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url). The key ID (first 8 hex digits of the key's
 * SHA-256) tells a wrong key apart from damaged data. Callers pass a context string that is bound
 * in as additional authenticated data, so a sealed value copied into another record fails to open.
 */

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
export const KEY_FILE_NAME = 'encryption.key';

const HOW_TO_MAKE_ONE = 'make one with `openssl rand -base64 32`';

export class EncryptionKey {
  // A private field: not enumerable, so a logger or JSON.stringify cannot reach the bytes.
  readonly #bytes: Buffer;
  /** Keys this one replaced (ENCRYPTION_KEY_PREVIOUS): they still open what they sealed, and never seal. */
  readonly #previous: readonly EncryptionKey[];
  /** Safe to log: it identifies the key without revealing it. */
  readonly id: string;

  constructor(bytes: Buffer, previous: readonly EncryptionKey[] = []) {
    if (bytes.length !== KEY_BYTES) throw new StoreError('invalid', `An encryption key is ${KEY_BYTES} bytes.`);
    this.#bytes = Buffer.from(bytes);
    this.id = createHash('sha256').update(this.#bytes).digest('hex').slice(0, 8);
    this.#previous = previous.filter((key) => key.id !== this.id);
  }

  /** This key, also able to open values sealed with `previous` (during a key rotation). */
  withPrevious(previous: readonly EncryptionKey[]): EncryptionKey {
    return new EncryptionKey(this.#bytes, previous);
  }

  /** The IDs of the previous keys this one can still open values of; safe to log. */
  get previousIds(): string[] {
    return this.#previous.map((key) => key.id);
  }

  /** Whether `sealed` was sealed with this key (and so needs no re-sealing in a rotation). */
  sealedWithThis(sealed: string): boolean {
    return sealed.split('.')[1] === this.id;
  }

  /** `sealed` opened (with this key or a previous one) and sealed again with this key. */
  reseal(sealed: string, context: string): string {
    return this.sealedWithThis(sealed) ? sealed : this.seal(this.unseal(sealed, context), context);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.id,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /**
   * The plaintext, or StoreError: 'key_mismatch' when the value was sealed with another key,
   * 'corrupt' when it is damaged or was sealed for another context.
   */
  unseal(sealed: string, context: string): string {
    const parts = sealed.split('.');
    const [version, keyId, iv, tag, ciphertext] = parts;
    if (parts.length !== 5 || version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) {
      throw new StoreError('corrupt', SEALED_UNREADABLE);
    }
    if (keyId !== this.id) {
      const previous = this.#previous.find((key) => key.id === keyId);
      if (previous) return previous.unseal(sealed, context);
      throw new StoreError('key_mismatch', KEY_MISMATCH);
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES)
      throw new StoreError('corrupt', SEALED_UNREADABLE);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#bytes, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new StoreError('corrupt', SEALED_UNREADABLE);
    }
  }

  toJSON(): string {
    return `[EncryptionKey ${this.id}]`;
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}

/**
 * Sealing for secrets that other modules keep in their records. Their contexts live in a space of
 * their own (`module|…`), so no sealed value of theirs can be passed off as one of the store's API
 * keys, or the other way round. Unsealing fails with the same StoreErrors as `EncryptionKey.unseal`.
 */
export interface SecretSealer {
  /** `context` names what the secret belongs to (e.g. `slack-installation|T123`); the same one opens it. */
  seal(plaintext: string, context: string): string;
  unseal(sealed: string, context: string): string;
  /** The value sealed with the current key; the same string when it already is. */
  reseal(sealed: string, context: string): string;
}

export function secretSealer(key: EncryptionKey): SecretSealer {
  return {
    seal: (plaintext, context) => key.seal(plaintext, `module|${context}`),
    unseal: (sealed, context) => key.unseal(sealed, `module|${context}`),
    reseal: (sealed, context) => key.reseal(sealed, `module|${context}`),
  };
}

export const KEY_MISMATCH =
  'ENCRYPTION_KEY does not match the key the saved Viam API keys were encrypted with. An admin must set ENCRYPTION_KEY back to the original value, or reconnect the orgs.';
const SEALED_UNREADABLE =
  'A saved Viam API key could not be decrypted: it is damaged or was copied from another workspace. An admin can reconnect the org, or run `/viam-usage reset` to start over.';

/**
 * The key that seals API keys. From ENCRYPTION_KEY when set; otherwise from `<dataDir>/encryption.key`,
 * created once (mode 0600) with a warning that it must be backed up with the store.
 */
export async function loadEncryptionKey(options: {
  encryptionKey?: string;
  /** ENCRYPTION_KEY_PREVIOUS: base64 keys, separated by commas or spaces, that values may still be sealed with. */
  previousKeys?: string;
  dataDir: string;
  logger: Logger;
}): Promise<EncryptionKey> {
  const current = await loadCurrentKey(options);
  const previous = parseKeyList(options.previousKeys);
  if (previous.length === 0) return current;
  const key = current.withPrevious(previous);
  options.logger.info(
    { keyId: key.id, previousKeyIds: key.previousIds },
    'previous encryption keys can still open values',
  );
  return key;
}

/** ENCRYPTION_KEY_PREVIOUS as keys; StoreError('invalid') naming the variable when one is not a key. */
export function parseKeyList(text: string | undefined): EncryptionKey[] {
  const parts = (text ?? '').split(/[\s,]+/).filter((part) => part !== '');
  return parts.map((part) => {
    const bytes = decodeKey(part);
    if (!bytes) {
      throw new StoreError(
        'invalid',
        `ENCRYPTION_KEY_PREVIOUS must be ${KEY_BYTES}-byte base64 keys separated by commas; ${HOW_TO_MAKE_ONE}.`,
      );
    }
    return new EncryptionKey(bytes);
  });
}

async function loadCurrentKey(options: { encryptionKey?: string; dataDir: string; logger: Logger }) {
  const given = options.encryptionKey?.trim();
  if (given) {
    const bytes = decodeKey(given);
    if (!bytes) {
      throw new StoreError(
        'invalid',
        `ENCRYPTION_KEY must be ${KEY_BYTES} random bytes in base64; ${HOW_TO_MAKE_ONE}.`,
      );
    }
    return new EncryptionKey(bytes);
  }
  return keyFromFile(path.join(options.dataDir, KEY_FILE_NAME), options.logger);
}

async function keyFromFile(file: string, logger: Logger): Promise<EncryptionKey> {
  const existing = await readKeyFile(file);
  if (existing) {
    await warnIfReadableByOthers(file, logger);
    logger.info({ file, keyId: existing.id }, 'using the encryption key file');
    return existing;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const bytes = randomBytes(KEY_BYTES);
  const generated = new EncryptionKey(bytes);
  try {
    // 'wx' fails if another process created the file meanwhile; then both use the one on disk.
    await writeFile(file, `${bytes.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readKeyFile(file);
      if (raced) return raced;
    }
    throw new StoreError(
      'unavailable',
      `Could not create the encryption key file ${file}. Make its folder writable, or set ENCRYPTION_KEY (${HOW_TO_MAKE_ONE}).`,
    );
  }
  bytes.fill(0);
  // The mode given to writeFile is filtered by the umask; make sure nobody else can read it.
  await chmod(file, 0o600);
  logger.warn(
    { file, keyId: generated.id },
    'generated a new encryption key file: back it up together with the store, because without it the saved Viam API keys cannot be decrypted (or set ENCRYPTION_KEY to manage the key yourself)',
  );
  return generated;
}

async function readKeyFile(file: string): Promise<EncryptionKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError('unavailable', `Could not read the encryption key file ${file}. Check its permissions.`);
  }
  const bytes = decodeKey(text.trim());
  if (!bytes) {
    throw new StoreError(
      'invalid',
      `The encryption key file ${file} does not hold a ${KEY_BYTES}-byte base64 key. Restore it from your backup, or set ENCRYPTION_KEY.`,
    );
  }
  return new EncryptionKey(bytes);
}

async function warnIfReadableByOthers(file: string, logger: Logger): Promise<void> {
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) {
    logger.warn({ file }, 'the encryption key file can be read by other users; run chmod 600 on it');
  }
}

function decodeKey(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}
