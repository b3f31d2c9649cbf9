// Credential secrets sealed at rest with AES-256-GCM under the console's key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FleetDeckError } from '../../../src-shared/errors';
import { KEY_BYTES } from './secret-key';

// Sealed format: version(1) | iv(12) | tag(16) | ciphertext. AES-256-GCM, the record's
// id bound in as associated data so a sealed secret cannot be moved to another record.
const VERSION = 1;

export class SecretDecryptError extends FleetDeckError {
  constructor(id: string) {
    super('INTERNAL', `The secret of credential "${id}" cannot be decrypted with this key (wrong key, or the record was altered)`, { id });
    this.name = 'SecretDecryptError';
  }
}

export class SecretBox {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new FleetDeckError('BAD_REQUEST', `A credential key is ${KEY_BYTES} bytes, got ${key.length}`);
    this.#key = Buffer.from(key);
  }

  seal(id: string, plaintext: string): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    c.setAAD(Buffer.from(id, 'utf8'));
    const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), body]);
  }

  open(id: string, sealed: Buffer): string {
    if (sealed.length < 29 || sealed[0] !== VERSION) throw new SecretDecryptError(id);
    try {
      const d = createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(1, 13));
      d.setAAD(Buffer.from(id, 'utf8'));
      d.setAuthTag(sealed.subarray(13, 29));
      return Buffer.concat([d.update(sealed.subarray(29)), d.final()]).toString('utf8');
    } catch (err) {
      throw Object.assign(new SecretDecryptError(id), { cause: err });
    }
  }

  /** Never let the key leak through a log line or a JSON dump. */
  toJSON(): string {
    return '[SecretBox]';
  }
}
