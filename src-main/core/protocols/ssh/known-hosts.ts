// Host-key pinning, trust on first use: the first key a host presents is pinned; later a
// different key is refused (SshHostKeyMismatchError names the host and both fingerprints).
// The store is an interface: the core backs it with a table, tests with memory.
import { fingerprintSha256 } from './codec/keys';

export interface HostKeyStore {
  /** The pinned "SHA256:..." fingerprint for host:port, or null if none yet. */
  get(host: string, port: number): string | null;
  pin(host: string, port: number, fingerprint: string): void;
  /** Forgets a pin: the next key the host presents is trusted (after a reinstall). */
  forget(host: string, port: number): void;
}

export class MemoryHostKeyStore implements HostKeyStore {
  readonly #pins = new Map<string, string>();

  get(host: string, port: number): string | null {
    return this.#pins.get(`${host}:${port}`) ?? null;
  }

  pin(host: string, port: number, fingerprint: string): void {
    this.#pins.set(`${host}:${port}`, fingerprint);
  }

  forget(host: string, port: number): void {
    this.#pins.delete(`${host}:${port}`);
  }

  get size(): number {
    return this.#pins.size;
  }
}

export type HostKeyVerdict =
  | { ok: true; fingerprint: string; firstUse: boolean }
  | { ok: false; expected: string; actual: string };

/** Checks the key a host presented against its pin, pinning it if it is the first. */
export function checkHostKey(store: HostKeyStore, host: string, port: number, publicKeyBlob: Uint8Array): HostKeyVerdict {
  const actual = fingerprintSha256(publicKeyBlob);
  const expected = store.get(host, port);
  if (expected === null) {
    store.pin(host, port, actual);
    return { ok: true, fingerprint: actual, firstUse: true };
  }
  return expected === actual ? { ok: true, fingerprint: actual, firstUse: false } : { ok: false, expected, actual };
}
