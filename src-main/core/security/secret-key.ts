// The console's credential key: a 0600 key file, or one derived from a passphrase with scrypt.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes, scryptSync } from 'node:crypto';
import { FleetDeckError } from '../../../src-shared/errors';

export const KEY_BYTES = 32;

export class KeyFileError extends FleetDeckError {
  constructor(message: string, readonly path: string) {
    super('BAD_REQUEST', message, { path });
    this.name = 'KeyFileError';
  }
}

/**
 * Serve mode's credential key: a 32-byte key file readable by its owner only (0600).
 * Created on first use; an existing file with looser permissions or the wrong size is
 * refused, never used.
 */
export function loadOrCreateKeyFile(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new KeyFileError(
      `The key file ${path} has permissions ${mode.toString(8).padStart(4, '0')}; it must be readable by its owner only (chmod 600 ${path})`,
      path,
    );
  }
  const key = readFileSync(path);
  if (key.length !== KEY_BYTES) {
    throw new KeyFileError(`The key file ${path} holds ${key.length} bytes; a FleetDeck key is ${KEY_BYTES} bytes`, path);
  }
  return key;
}

/** A key derived from a passphrase (scrypt, N=2^15) with a salt kept beside the store. */
export function keyFromPassphrase(passphrase: string, salt: Buffer): Buffer {
  if (passphrase.length < 8) throw new KeyFileError('The passphrase must be at least 8 characters', '(passphrase)');
  return scryptSync(passphrase, salt, KEY_BYTES, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

export function loadOrCreateSalt(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, randomBytes(16), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(path);
}
