// Pinned SSH host keys in SQLite (trust on first use survives a restart).
import type { HostKeyStore } from '../protocols/ssh/known-hosts';
import type { Db } from './database';

/** SSH host keys pinned on first use, kept in the store so a restart does not re-trust. */
export class HostKeyRepository implements HostKeyStore {
  readonly #get;
  readonly #pin;
  readonly #forget;

  constructor(db: Db) {
    this.#get = db.prepare<[string, number], { fingerprint: string }>('SELECT fingerprint FROM ssh_host_keys WHERE host = ? AND port = ?');
    this.#pin = db.prepare(
      `INSERT INTO ssh_host_keys (host, port, fingerprint, pinned_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (host, port) DO UPDATE SET fingerprint = excluded.fingerprint, pinned_at = excluded.pinned_at`,
    );
    this.#forget = db.prepare('DELETE FROM ssh_host_keys WHERE host = ? AND port = ?');
  }

  get(host: string, port: number): string | null {
    return this.#get.get(host, port)?.fingerprint ?? null;
  }

  pin(host: string, port: number, fingerprint: string): void {
    this.#pin.run(host, port, fingerprint, Date.now());
  }

  /** What an operator does after reinstalling a host: the next key is trusted again. */
  forget(host: string, port: number): void {
    this.#forget.run(host, port);
  }
}
