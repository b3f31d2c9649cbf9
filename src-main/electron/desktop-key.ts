// The desktop credential key: 32 random bytes made once, kept in userData/secret.key.enc
// encrypted by the OS keyring through Electron's safeStorage (Keychain, DPAPI, libsecret or
// KWallet). Where no keyring protects it, the shell refuses to start unless the user opts
// into a plaintext 0600 key file with FLEETDECK_ALLOW_PLAINTEXT_KEY=1. The key is never
// logged. safeStorage is injected so this runs in tests without Electron.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FleetDeckError } from '../../src-shared/errors';
import { KEY_BYTES, loadOrCreateKeyFile } from '../core/security/secret-key';

export const ENCRYPTED_KEY_FILE = 'secret.key.enc';
export const PLAINTEXT_KEY_FILE = 'secret.key';

/** The part of Electron's safeStorage used here. */
export interface KeyStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export interface DesktopKeyOptions {
  userDataDir: string;
  safeStorage: KeyStorage;
  platform: NodeJS.Platform;
  /** FLEETDECK_ALLOW_PLAINTEXT_KEY=1 */
  allowPlaintext: boolean;
}

export interface DesktopKey {
  key: Buffer;
  /** How the key is protected at rest; safe to log. */
  protection: 'os-keyring' | 'plaintext-file';
  /** Where it lives; safe to log. */
  path: string;
  /** Set when a plaintext key file was moved under the keyring on this start. */
  migratedFromPlaintext?: boolean;
}

export class DesktopKeyError extends FleetDeckError {
  constructor(message: string, readonly title: string) {
    super('UNAVAILABLE', message);
    this.name = 'DesktopKeyError';
  }
}

/** Whether safeStorage really encrypts: on Linux 'basic_text' is a hard-coded password. */
export function keyringUsable(storage: KeyStorage, platform: NodeJS.Platform): boolean {
  if (!storage.isEncryptionAvailable()) return false;
  if (platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text') return false;
  return true;
}

function writePrivateFile(path: string, data: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, path);
}

function decodeStoredKey(text: string, path: string): Buffer {
  const key = /^[0-9a-f]+$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new DesktopKeyError(
      `The credential key in ${path} decrypts, but not to a ${KEY_BYTES}-byte key. The file is damaged; ` +
        'restore it from a backup. Deleting it makes every stored credential unreadable.',
      'FleetDeck: damaged credential key',
    );
  }
  return key;
}

function noKeyringMessage(platform: NodeJS.Platform, backend: string | undefined): string {
  const why =
    platform === 'linux'
      ? `No OS keyring is available to protect the credential key (safeStorage backend: ${backend ?? 'unknown'}). ` +
        'Start a Secret Service keyring (gnome-keyring, KeePassXC) or KWallet and unlock it, or pick one with ' +
        '--password-store=gnome-libsecret / --password-store=kwallet6.'
      : 'The OS keyring (Keychain / DPAPI) is not available to protect the credential key.';
  return `${why}\n\nTo run anyway with the key in a plaintext file readable only by you (0600), start FleetDeck with FLEETDECK_ALLOW_PLAINTEXT_KEY=1.`;
}

export function loadOrCreateDesktopKey(opts: DesktopKeyOptions): DesktopKey {
  const { userDataDir, safeStorage, platform } = opts;
  const encPath = join(userDataDir, ENCRYPTED_KEY_FILE);
  const plainPath = join(userDataDir, PLAINTEXT_KEY_FILE);
  mkdirSync(userDataDir, { recursive: true });

  if (keyringUsable(safeStorage, platform)) {
    if (existsSync(encPath)) {
      let text: string;
      try {
        text = safeStorage.decryptString(readFileSync(encPath));
      } catch (err) {
        throw new DesktopKeyError(
          `The credential key in ${encPath} cannot be decrypted by this user's OS keyring ` +
            `(${err instanceof Error ? err.message : String(err)}). Was the keyring reset, or the profile copied from another account?`,
          'FleetDeck: credential key unreadable',
        );
      }
      return { key: decodeStoredKey(text, encPath), protection: 'os-keyring', path: encPath };
    }
    // A key made earlier in plaintext mode moves under the keyring: same key, so the
    // credentials sealed with it stay readable.
    const migrated = existsSync(plainPath);
    const key = migrated ? loadOrCreateKeyFile(plainPath) : randomBytes(KEY_BYTES);
    writePrivateFile(encPath, safeStorage.encryptString(key.toString('hex')));
    if (migrated) rmSync(plainPath);
    return { key, protection: 'os-keyring', path: encPath, ...(migrated ? { migratedFromPlaintext: true } : {}) };
  }

  if (existsSync(encPath)) {
    throw new DesktopKeyError(
      `The credential key in ${encPath} is encrypted by the OS keyring, which is not available now. ` +
        'Unlock or start the keyring and try again.',
      'FleetDeck: keyring not available',
    );
  }
  if (!opts.allowPlaintext) {
    throw new DesktopKeyError(
      noKeyringMessage(platform, safeStorage.getSelectedStorageBackend?.()),
      'FleetDeck cannot protect its credential key',
    );
  }
  return { key: loadOrCreateKeyFile(plainPath), protection: 'plaintext-file', path: plainPath };
}
