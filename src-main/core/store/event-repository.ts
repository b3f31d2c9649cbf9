// Fleet events in SQLite: stored in batches, read newest first, expired by age. Code and
// params are kept beside the English message so the renderer can word each event.
import type { FleetEvent, FleetEventCode } from '../../../src-shared/domain';
import type { Db } from './database';

interface Row {
  id: number;
  at: number;
  device_id: string | null;
  kind: FleetEvent['kind'];
  severity: FleetEvent['severity'];
  message: string;
  details: string | null;
  code: string | null;
  params: string | null;
}

const toEvent = (r: Row): FleetEvent => ({
  id: r.id,
  at: r.at,
  deviceId: r.device_id,
  kind: r.kind,
  severity: r.severity,
  message: r.message,
  ...(r.code ? { code: r.code as FleetEventCode } : {}),
  ...(r.params ? { params: JSON.parse(r.params) as Record<string, string | number | boolean> } : {}),
  ...(r.details ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}),
});

/** Fleet events (status changes, interface changes, traps, control actions), newest first. */
export class EventRepository {
  readonly #db: Db;
  readonly #insert;
  readonly #recent;
  readonly #recentForDevice;
  readonly #expire;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare('INSERT INTO events (at, device_id, kind, severity, message, details, code, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.#recent = db.prepare<[number], Row>('SELECT * FROM events ORDER BY id DESC LIMIT ?');
    this.#recentForDevice = db.prepare<[string, number], Row>('SELECT * FROM events WHERE device_id = ? ORDER BY id DESC LIMIT ?');
    this.#expire = db.prepare('DELETE FROM events WHERE at < ?');
  }

  /** Stores a batch in one transaction and returns it with ids. */
  record(events: readonly Omit<FleetEvent, 'id'>[]): FleetEvent[] {
    return this.#db.transaction(() =>
      events.map((e) => {
        const info = this.#insert.run(e.at, e.deviceId, e.kind, e.severity, e.message.slice(0, 2000), e.details ? JSON.stringify(e.details) : null, e.code ?? null, e.params ? JSON.stringify(e.params) : null);
        return { ...e, id: Number(info.lastInsertRowid) };
      }),
    )();
  }

  recent(limit = 100, deviceId?: string): FleetEvent[] {
    const n = Math.max(1, Math.min(limit, 5000));
    return (deviceId ? this.#recentForDevice.all(deviceId, n) : this.#recent.all(n)).map(toEvent);
  }

  expire(before: number): number {
    return this.#expire.run(before).changes;
  }
}
