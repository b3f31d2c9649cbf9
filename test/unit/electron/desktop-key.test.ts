import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DesktopKeyError,
  ENCRYPTED_KEY_FILE,
  PLAINTEXT_KEY_FILE,
  loadOrCreateDesktopKey,
  type KeyStorage,
} from '../../../src-main/electron/desktop-key';

/** A stand-in for safeStorage: reversible, and visibly not the plaintext. */
function fakeKeyring(opts: { available?: boolean; backend?: string; mask?: number } = {}): KeyStorage & { encrypted: string[] } {
  const mask = opts.mask ?? 0x5a;
  const encrypted: string[] = [];
  return {
    encrypted,
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString(s) {
      encrypted.push(s);
      return Buffer.concat([Buffer.from('v11'), Buffer.from(s, 'utf8').map((b) => b ^ mask)]);
    },
    decryptString(b) {
      if (b.subarray(0, 3).toString() !== 'v11') throw new Error('bad header');
      return Buffer.from(b.subarray(3).map((x) => x ^ mask)).toString('utf8');
    },
  };
}

describe('desktop credential key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (safeStorage: KeyStorage, extra: { allowPlaintext?: boolean; platform?: NodeJS.Platform } = {}) =>
    loadOrCreateDesktopKey({ userDataDir: dir, safeStorage, platform: extra.platform ?? 'linux', allowPlaintext: extra.allowPlaintext ?? false });

  it('makes a random 32-byte key once, stores it only encrypted, and reads it back', () => {
    const ring = fakeKeyring();
    const a = load(ring);
    expect(a.key.length).toBe(32);
    expect(a.protection).toBe('os-keyring');
    const file = readFileSync(join(dir, ENCRYPTED_KEY_FILE));
    expect(file.includes(a.key)).toBe(false);
    expect(file.toString('latin1')).not.toContain(a.key.toString('hex'));
    expect(statSync(join(dir, ENCRYPTED_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, PLAINTEXT_KEY_FILE))).toBe(false);
    const b = load(ring);
    expect(b.key.equals(a.key)).toBe(true);
    expect(ring.encrypted).toHaveLength(1);
  });

  it('refuses to start without a keyring, and says how to opt into a plaintext key', () => {
    expect(() => load(fakeKeyring({ available: false }))).toThrow(DesktopKeyError);
    expect(() => load(fakeKeyring({ available: false }))).toThrow(/FLEETDECK_ALLOW_PLAINTEXT_KEY=1/);
    expect(existsSync(join(dir, PLAINTEXT_KEY_FILE))).toBe(false);
  });

  it("treats Linux's basic_text backend as no keyring", () => {
    expect(() => load(fakeKeyring({ backend: 'basic_text' }))).toThrow(/basic_text/);
    // Elsewhere the backend query does not apply.
    expect(load(fakeKeyring({ backend: 'basic_text' }), { platform: 'darwin' }).protection).toBe('os-keyring');
  });

  it('falls back to a 0600 plaintext key file only when allowed', () => {
    const k = load(fakeKeyring({ available: false }), { allowPlaintext: true });
    expect(k.protection).toBe('plaintext-file');
    expect(statSync(join(dir, PLAINTEXT_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(load(fakeKeyring({ available: false }), { allowPlaintext: true }).key.equals(k.key)).toBe(true);
  });

  it('moves a plaintext key under the keyring when one appears, keeping the same key', () => {
    const plain = load(fakeKeyring({ available: false }), { allowPlaintext: true });
    const moved = load(fakeKeyring());
    expect(moved.migratedFromPlaintext).toBe(true);
    expect(moved.key.equals(plain.key)).toBe(true);
    expect(existsSync(join(dir, PLAINTEXT_KEY_FILE))).toBe(false);
    expect(load(fakeKeyring()).key.equals(plain.key)).toBe(true);
  });

  it('never replaces a keyring-protected key it cannot read', () => {
    const a = load(fakeKeyring());
    const before = readFileSync(join(dir, ENCRYPTED_KEY_FILE));
    expect(() => load(fakeKeyring({ available: false }), { allowPlaintext: true })).toThrow(/not available now/);
    expect(() => load(fakeKeyring({ mask: 0x11 }))).toThrow(/decrypts, but not to a 32-byte key|cannot be decrypted/);
    writeFileSync(join(dir, ENCRYPTED_KEY_FILE), Buffer.from('garbage'));
    expect(() => load(fakeKeyring())).toThrow(/cannot be decrypted/);
    writeFileSync(join(dir, ENCRYPTED_KEY_FILE), before);
    expect(load(fakeKeyring()).key.equals(a.key)).toBe(true);
  });
});
