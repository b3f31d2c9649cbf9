// The inventory aggregate in SQLite: sites, rooms, rows, cabinets, devices, and the reads the fleet needs.
import {
  DEFAULT_LIFECYCLE,
  SYSTEM_ACTOR,
  type Cabinet,
  type CredentialKind,
  type Device,
  type DeviceKind,
  type DeviceLifecycle,
  type DeviceSearchHit,
  type InventoryDocument,
  type RecordCounts,
  type Room,
  type Row,
  type Site,
} from '../../../src-shared/domain';
import { BindingRepository } from './binding-repository';
import type { Db } from './database';
import { LifecycleRepository } from './lifecycle-repository';

export interface CabinetWithRow extends Cabinet {
  rowName: string;
}

/** A device with where it sits, as the search index keeps it. */
export type DeviceSearchRow = Omit<DeviceSearchHit, 'field' | 'match'>;

export interface DeviceLocation {
  deviceId: string;
  cabinetId: string;
  roomId: string;
  siteId: string;
}

export interface InventoryPollTarget {
  deviceId: string;
  kind: DeviceKind;
  mgmtIp: string;
  snmpPort: number;
  snmpCredential: string | null;
}

export interface InventoryCounts {
  sites: number;
  rooms: number;
  rows: number;
  cabinets: number;
  devices: number;
}

export interface CabinetRow {
  id: string;
  row_id: string;
  name: string;
  position: number;
  u_height: number;
  rated_power_kw: number;
  feed_a: string | null;
  feed_b: string | null;
  width_mm: number;
  depth_mm: number;
}

interface DeviceRow {
  id: string;
  cabinet_id: string;
  kind: DeviceKind;
  hostname: string;
  sn: string;
  u_position: number;
  u_height: number;
  mgmt_ip: string;
  snmp_port: number;
  bmc_address: string | null;
  bmc_port: number;
  ssh_port: number;
  snmp_credential: string | null;
  ssh_credential: string | null;
  ipmi_credential: string | null;
  st_company: string | null;
  st_department: string | null;
  st_product: string | null;
  st_cluster: string | null;
  st_service: string | null;
  lifecycle: DeviceLifecycle;
  lifecycle_at: number | null;
  lifecycle_by: string | null;
}

export const SITE = 'SELECT id, name, city FROM sites';
export const ROOM = 'SELECT id, site_id AS siteId, name, width_m AS widthM, depth_m AS depthM FROM rooms';
export const ROW = 'SELECT id, room_id AS roomId, name, x_m AS xM, y_m AS yM, facing, cold_aisle AS coldAisle FROM rows';
export const CABINET = 'SELECT * FROM cabinets';
const DEVICE = 'SELECT * FROM devices';

export const toCabinet = (r: CabinetRow): Cabinet => ({
  id: r.id,
  rowId: r.row_id,
  name: r.name,
  position: r.position,
  uHeight: r.u_height,
  ratedPowerKw: r.rated_power_kw,
  feedA: r.feed_a,
  feedB: r.feed_b,
  widthMm: r.width_mm,
  depthMm: r.depth_mm,
});

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  cabinetId: r.cabinet_id,
  kind: r.kind,
  hostname: r.hostname,
  sn: r.sn,
  uPosition: r.u_position,
  uHeight: r.u_height,
  mgmtIp: r.mgmt_ip,
  snmpPort: r.snmp_port,
  bmcAddress: r.bmc_address,
  bmcPort: r.bmc_port,
  sshPort: r.ssh_port,
  snmpCredential: r.snmp_credential,
  sshCredential: r.ssh_credential,
  ipmiCredential: r.ipmi_credential,
  serviceTree:
    r.st_company === null
      ? null
      : {
          company: r.st_company,
          department: r.st_department ?? '',
          product: r.st_product ?? '',
          cluster: r.st_cluster ?? '',
          service: r.st_service ?? '',
        },
  lifecycle: r.lifecycle,
});

/**
 * Who a write binds the devices' credentials for: a name (an admin, "system") binds each
 * written device's references at its endpoints; null (an operator's write) binds nothing, so
 * a device it moves, adds or points at another credential is left unbound.
 */
export type BindAs = string | null;

/** Direct writes of the repository (the lab's own inventory at start) are the system's, trusted. */
export const SYSTEM_BINDER = SYSTEM_ACTOR;

/**
 * Sites, rooms, rows, cabinets and devices. Reads return domain objects sorted by id;
 * upsert writes a whole document in one transaction (all or nothing). It does not
 * validate: import validates first (validate.ts); the lab's generated inventory is
 * trusted, and a constraint failure there rolls everything back.
 */
export class InventoryRepository {
  readonly #db: Db;
  readonly #q;
  readonly #bindings: BindingRepository;
  /** The devices' lifecycle (CMDB status): moves by the allowed moves, who moved them, counts per state. */
  readonly lifecycle: LifecycleRepository;

  constructor(db: Db) {
    this.#db = db;
    this.#bindings = new BindingRepository(db);
    this.lifecycle = new LifecycleRepository(db);
    this.#q = {
      sites: db.prepare<[], Site>(`${SITE} ORDER BY id`),
      rooms: db.prepare<[], Room>(`${ROOM} ORDER BY id`),
      rows: db.prepare<[], Row>(`${ROW} ORDER BY id`),
      cabinets: db.prepare<[], CabinetRow>(`${CABINET} ORDER BY id`),
      devices: db.prepare<[], DeviceRow>(`${DEVICE} ORDER BY id`),
      cabinet: db.prepare<[string], CabinetRow>(`${CABINET} WHERE id = ?`),
      device: db.prepare<[string], DeviceRow>(`${DEVICE} WHERE id = ?`),
      cabinetsInRoom: db.prepare<[string], CabinetRow & { row_name: string }>(
        `SELECT c.*, r.name AS row_name FROM cabinets c JOIN rows r ON r.id = c.row_id
         WHERE r.room_id = ? ORDER BY r.name, c.position, c.id`,
      ),
      devicesInCabinet: db.prepare<[string], DeviceRow>(`${DEVICE} WHERE cabinet_id = ? ORDER BY u_position, id`),
      locations: db.prepare<[], DeviceLocation>(
        `SELECT d.id AS deviceId, d.cabinet_id AS cabinetId, r.room_id AS roomId, m.site_id AS siteId
         FROM devices d JOIN cabinets c ON c.id = d.cabinet_id JOIN rows r ON r.id = c.row_id
         JOIN rooms m ON m.id = r.room_id ORDER BY d.id`,
      ),
      pollTargets: db.prepare<[], InventoryPollTarget>(
        `SELECT id AS deviceId, kind, mgmt_ip AS mgmtIp, snmp_port AS snmpPort, snmp_credential AS snmpCredential
         FROM devices ORDER BY id`,
      ),
      counts: db.prepare<[], InventoryCounts>(
        `SELECT (SELECT count(*) FROM sites) AS sites, (SELECT count(*) FROM rooms) AS rooms,
                (SELECT count(*) FROM rows) AS rows, (SELECT count(*) FROM cabinets) AS cabinets,
                (SELECT count(*) FROM devices) AS devices`,
      ),
      anySite: db.prepare<[], { one: number }>('SELECT 1 AS one FROM sites LIMIT 1'),
      bmcDevices: db.prepare<[], { id: string }>(
        `SELECT d.id FROM devices d JOIN credential_bindings b ON b.device_id = d.id AND b.role = 'ipmi'
         WHERE d.bmc_address IS NOT NULL AND b.credential_id = d.ipmi_credential AND b.host = d.bmc_address AND b.port = d.bmc_port ORDER BY d.id`,
      ),
      searchPage: db.prepare<[string, number], DeviceSearchRow>(
        `SELECT d.id AS deviceId, d.hostname, d.sn, d.kind, d.mgmt_ip AS mgmtIp, d.bmc_address AS bmcAddress,
    coalesce(s.name, '') AS siteName, coalesce(m.name, '') AS roomName, d.cabinet_id AS cabinetId,
    coalesce(c.name, '') AS cabinetName, d.u_position AS uPosition
  FROM devices d LEFT JOIN cabinets c ON c.id = d.cabinet_id LEFT JOIN rows r ON r.id = c.row_id
  LEFT JOIN rooms m ON m.id = r.room_id LEFT JOIN sites s ON s.id = m.site_id
  WHERE d.id > ? ORDER BY d.id LIMIT ?`,
      ),
      deleteDevice: db.prepare<[string]>('DELETE FROM devices WHERE id = ?'),
      credentialKinds: db.prepare<[], { id: string; kind: CredentialKind }>('SELECT id, kind FROM credentials ORDER BY id'),
      deviceSn: db.prepare<[string], Pick<DeviceRow, 'sn' | 'lifecycle' | 'lifecycle_at' | 'lifecycle_by'>>(
        'SELECT sn, lifecycle, lifecycle_at, lifecycle_by FROM devices WHERE id = ?',
      ),
      parkSn: db.prepare<[string, string]>('UPDATE devices SET sn = ? WHERE id = ?'),
      upsertSite: db.prepare<[string, string, string]>(
        `INSERT INTO sites (id, name, city) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, city = excluded.city`,
      ),
      upsertRoom: db.prepare<[string, string, string, number, number]>(
        `INSERT INTO rooms (id, site_id, name, width_m, depth_m) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, name = excluded.name,
           width_m = excluded.width_m, depth_m = excluded.depth_m`,
      ),
      upsertRow: db.prepare<[string, string, string, number, number, string, string]>(
        `INSERT INTO rows (id, room_id, name, x_m, y_m, facing, cold_aisle) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET room_id = excluded.room_id, name = excluded.name,
           x_m = excluded.x_m, y_m = excluded.y_m, facing = excluded.facing, cold_aisle = excluded.cold_aisle`,
      ),
      upsertCabinet: db.prepare<[string, string, string, number, number, number, string | null, string | null, number, number]>(
        `INSERT INTO cabinets (id, row_id, name, position, u_height, rated_power_kw, feed_a, feed_b, width_mm, depth_mm)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET row_id = excluded.row_id, name = excluded.name,
           position = excluded.position, u_height = excluded.u_height,
           rated_power_kw = excluded.rated_power_kw, feed_a = excluded.feed_a, feed_b = excluded.feed_b,
           width_mm = excluded.width_mm, depth_mm = excluded.depth_mm`,
      ),
      upsertDevice: db.prepare<unknown[]>(
        `INSERT INTO devices (id, cabinet_id, kind, hostname, sn, u_position, u_height, mgmt_ip, snmp_port,
           bmc_address, bmc_port, ssh_port, snmp_credential, ssh_credential, ipmi_credential,
           st_company, st_department, st_product, st_cluster, st_service, lifecycle, lifecycle_at, lifecycle_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET cabinet_id = excluded.cabinet_id, kind = excluded.kind,
           hostname = excluded.hostname, sn = excluded.sn, u_position = excluded.u_position,
           u_height = excluded.u_height, mgmt_ip = excluded.mgmt_ip, snmp_port = excluded.snmp_port,
           bmc_address = excluded.bmc_address, bmc_port = excluded.bmc_port, ssh_port = excluded.ssh_port,
           snmp_credential = excluded.snmp_credential,
           ssh_credential = excluded.ssh_credential, ipmi_credential = excluded.ipmi_credential,
           st_company = excluded.st_company, st_department = excluded.st_department,
           st_product = excluded.st_product, st_cluster = excluded.st_cluster, st_service = excluded.st_service,
           lifecycle = excluded.lifecycle, lifecycle_at = excluded.lifecycle_at, lifecycle_by = excluded.lifecycle_by`,
      ),
    };
  }

  /** The whole inventory, every list sorted by id. */
  document(): InventoryDocument {
    return {
      format: 'fleetdeck-inventory',
      version: 1,
      sites: this.sites(),
      rooms: this.rooms(),
      rows: this.rows(),
      cabinets: this.#q.cabinets.all().map(toCabinet),
      devices: this.#q.devices.all().map(toDevice),
    };
  }

  /**
   * Inserts new ids and updates existing ones, parents before children, in one
   * transaction (a savepoint when called inside one). Nothing is deleted. `bindAs` names who
   * binds the written devices' credentials (BindAs); a direct write is the system's. A device
   * without a lifecycle keeps its stored one (a new one: DEFAULT_LIFECYCLE); one whose
   * lifecycle is new or changes is stamped with `by` and now.
   */
  upsert(doc: InventoryDocument, bindAs: BindAs = SYSTEM_BINDER, by: string = bindAs ?? SYSTEM_BINDER): { imported: RecordCounts } {
    const q = this.#q;
    const now = Date.now();
    this.#db.transaction(() => {
      for (const s of doc.sites) q.upsertSite.run(s.id, s.name, s.city);
      for (const r of doc.rooms) q.upsertRoom.run(r.id, r.siteId, r.name, r.widthM, r.depthM);
      for (const r of doc.rows) q.upsertRow.run(r.id, r.roomId, r.name, r.xM, r.yM, r.facing, r.coldAisle);
      for (const c of doc.cabinets) {
        q.upsertCabinet.run(c.id, c.rowId, c.name, c.position, c.uHeight, c.ratedPowerKw, c.feedA, c.feedB, c.widthMm, c.depthMm);
      }
      // Serial numbers are UNIQUE: park the old SN of every device that changes its SN, so
      // a document may swap SNs between devices without tripping the constraint midway.
      const stored = new Map(doc.devices.map((d) => [d.id, q.deviceSn.get(d.id)]));
      for (const d of doc.devices) {
        const before = stored.get(d.id);
        if (before && before.sn !== d.sn) q.parkSn.run(`\u0000moving:${d.id}`, d.id);
      }
      for (const d of doc.devices) {
        const t = d.serviceTree;
        const before = stored.get(d.id);
        const lifecycle = d.lifecycle ?? before?.lifecycle ?? DEFAULT_LIFECYCLE;
        const [at, stampedBy] = before && before.lifecycle === lifecycle ? [before.lifecycle_at, before.lifecycle_by] : [now, by];
        q.upsertDevice.run(
          d.id, d.cabinetId, d.kind, d.hostname, d.sn, d.uPosition, d.uHeight, d.mgmtIp, d.snmpPort,
          d.bmcAddress, d.bmcPort, d.sshPort, d.snmpCredential, d.sshCredential, d.ipmiCredential,
          t?.company ?? null, t?.department ?? null, t?.product ?? null, t?.cluster ?? null, t?.service ?? null,
          lifecycle, at, stampedBy,
        );
      }
      if (bindAs !== null) {
        for (const d of doc.devices) this.#bindings.bindDevice(d, bindAs, now);
      }
    })();
    return {
      imported: {
        sites: doc.sites.length,
        rooms: doc.rooms.length,
        rows: doc.rows.length,
        cabinets: doc.cabinets.length,
        devices: doc.devices.length,
      },
    };
  }

  /** Adds or replaces one device (the same SN, lifecycle and binding handling as upsert). Does not validate: inventory.putDevice validates first. */
  putDevice(device: Device, bindAs: BindAs = SYSTEM_BINDER, by: string = bindAs ?? SYSTEM_BINDER): void {
    this.upsert({ format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [device] }, bindAs, by);
  }

  /**
   * Deletes one device record; true when there was one. Its events, audit entries and time
   * series are kept (they refer to the id, not to the row).
   */
  deleteDevice(id: string): boolean {
    return this.#q.deleteDevice.run(id).changes > 0;
  }

  /** The ids and kinds of the stored credentials (no secrets): what device references are checked against. */
  credentialKinds(): Map<string, CredentialKind> {
    return new Map(this.#q.credentialKinds.all().map((r) => [r.id, r.kind]));
  }

  isEmpty(): boolean {
    return this.#q.anySite.get() === undefined;
  }

  sites(): Site[] {
    return this.#q.sites.all();
  }

  rooms(): Room[] {
    return this.#q.rooms.all();
  }

  rows(): Row[] {
    return this.#q.rows.all();
  }

  /** Cabinets of one room with their row's name, by row name then position. */
  cabinetsInRoom(roomId: string): CabinetWithRow[] {
    return this.#q.cabinetsInRoom.all(roomId).map((r) => ({ ...toCabinet(r), rowName: r.row_name }));
  }

  cabinet(id: string): Cabinet | null {
    const r = this.#q.cabinet.get(id);
    return r ? toCabinet(r) : null;
  }

  /** Devices of one cabinet, from the lowest U up (zero-U devices first). */
  devicesInCabinet(cabinetId: string): Device[] {
    return this.#q.devicesInCabinet.all(cabinetId).map(toDevice);
  }

  device(id: string): Device | null {
    const r = this.#q.device.get(id);
    return r ? toDevice(r) : null;
  }

  deviceLocations(): DeviceLocation[] {
    return this.#q.locations.all();
  }

  pollTargets(): InventoryPollTarget[] {
    return this.#q.pollTargets.all();
  }

  /** Devices whose BMC the console can read (an address and an IPMI credential bound to it), by id: a narrow read for the sensor poller. */
  bmcDeviceIds(): string[] {
    return this.#q.bmcDevices.all().map((r) => r.id);
  }

  /** Up to `limit` devices after `afterId` (keyset paging by id) with where they sit: the search index reads the fleet this way. */
  searchRowsAfter(afterId: string, limit: number): DeviceSearchRow[] {
    return this.#q.searchPage.all(afterId, limit);
  }

  counts(): InventoryCounts {
    return this.#q.counts.get()!;
  }
}
