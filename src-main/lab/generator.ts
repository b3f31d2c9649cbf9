// The lab's inventory: a believable data-center fleet, generated deterministically from a
// seed. Pure: no I/O. The same (seed, size, options) always yields the same document. Rooms
// get floor plans: rows in pairs across cold aisles, a CRAC gap, head cabinets 800 mm wide.
// A cabinet fed twice (feedA and feedB, most of them) has a zero-U PDU on each feed,
// "<stem>-pdu-a" and "<stem>-pdu-b"; a single-feed one has one, "<stem>-pdu". The head cabinet
// of each row holds its ToR switch; servers fill the rest, so the total is exactly size.devices.
// (Which PSU plugs into which PDU is the shared cabling rule, src-shared/power-feeds.ts.)
import { CABINET_DEFAULT_MM, type Cabinet, type Device, type InventoryDocument, type ServiceTreePath, type Site } from '../../src-shared/domain';
import { LAB_SNMP_CREDENTIAL, type LabSize } from '../../src-shared/lab-protocol';
import { createRng } from '../../src-shared/random';
import { completeLayout, type LooseRoom, type LooseRow } from '../../src-shared/room-plan';
import { SINGLE_ADDRESS, SINGLE_PORT_BASE, SINGLE_PORT_SPAN, checkSinglePortBase, singlePorts } from './loopback';

export interface LabGeneratorOptions {
  /** Credential id the devices reference for SNMP (the secret lives in the credential store). */
  snmpCredential?: string;
  /** Leading octets of the loopback range, e.g. "127.16"; must lie in 127.0.0.0/8. */
  addressPrefix?: string;
  snmpPort?: number;
  /** single: every device on 127.0.0.1 with its own SNMP, BMC and SSH ports (loopback.ts); default aliases. */
  loopback?: 'aliases' | 'single';
  /** single only: first port of the port plan (default 20000). */
  singlePortBase?: number;
}

/** Unprivileged stand-ins for 623 and 22: the lab runs without root. */
export const LAB_BMC_PORT = 16623;
export const LAB_SSH_PORT = 16022;
export const CABINET_U = 42;

const SITES: ReadonlyArray<{ code: string; name: string; city: string }> = [
  { code: 'bj1', name: 'Beijing Yizhuang', city: 'Beijing' },
  { code: 'sh1', name: 'Shanghai Jiading', city: 'Shanghai' },
  { code: 'gz1', name: 'Guangzhou Huangpu', city: 'Guangzhou' },
  { code: 'cd1', name: 'Chengdu Tianfu', city: 'Chengdu' },
  { code: 'hz1', name: 'Hangzhou Xiasha', city: 'Hangzhou' },
  { code: 'wh1', name: 'Wuhan Guanggu', city: 'Wuhan' },
];

/** department -> product -> services: a small, believable service tree. */
const SERVICE_TREE: ReadonlyArray<{ department: string; products: ReadonlyArray<{ product: string; services: readonly string[] }> }> = [
  { department: 'Search', products: [
    { product: 'web-search', services: ['query-frontend', 'indexer', 'ranker'] },
    { product: 'ads', services: ['ad-server', 'bidder'] },
  ] },
  { department: 'Payments', products: [
    { product: 'checkout', services: ['checkout-api', 'ledger', 'risk-engine'] },
  ] },
  { department: 'Media', products: [
    { product: 'video', services: ['transcoder', 'cdn-origin'] },
    { product: 'music', services: ['catalog', 'streaming'] },
  ] },
  { department: 'Platform', products: [
    { product: 'storage', services: ['object-store', 'metadata', 'backup'] },
    { product: 'compute', services: ['k8s-node', 'batch-worker'] },
  ] },
];
const COMPANY = 'Northwind Cloud';

export { createRng };

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function validate(size: LabSize, prefix: string): void {
  for (const k of ['sites', 'roomsPerSite', 'rowsPerRoom', 'cabinetsPerRow', 'devices'] as const) {
    if (!Number.isInteger(size[k]) || size[k] < 1) throw new RangeError(`lab size: ${k} must be a positive integer, got ${size[k]}`);
  }
  // Early and cheap, before any cabinet is drawn (serverCount checks the exact PDU count after).
  const cabinets = size.sites * size.roomsPerSite * size.rowsPerRoom * size.cabinetsPerRow;
  const rows = size.sites * size.roomsPerSite * size.rowsPerRoom;
  if (size.devices < cabinets + rows) {
    throw new RangeError(`lab size: ${size.devices} devices cannot hold a PDU per cabinet (${cabinets}) and a switch per row (${rows})`);
  }
  if (!/^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){0,2}$/.test(prefix)) {
    throw new RangeError(`lab addressPrefix "${prefix}" must be 1 to 3 octets inside 127.0.0.0/8, e.g. "127.16"`);
  }
}

/** After the cabinets are drawn: room for their PDUs (one per feed) and a switch per row, and for the servers left (returned). */
function serverCount(size: LabSize, cabinets: readonly Cabinet[], rows: number): number {
  const pdus = cabinets.reduce((n, c) => n + (c.feedB === null ? 1 : 2), 0);
  if (size.devices < pdus + rows) {
    throw new RangeError(`lab size: ${size.devices} devices cannot hold a PDU per feed of every cabinet (${pdus} for ${cabinets.length} cabinets) and a switch per row (${rows})`);
  }
  if (size.devices - pdus - rows > cabinets.length * CABINET_U - rows) {
    throw new RangeError(`lab size: ${size.devices} devices do not fit in ${cabinets.length} cabinets of ${CABINET_U}U`);
  }
  return size.devices - pdus - rows;
}

/** The n-th (0-based) host address under prefix; no octet after the prefix is 0 or 255. */
export function labAddress(prefix: string, n: number): string {
  const free = 4 - prefix.split('.').length;
  const octets: number[] = [];
  let rest = n;
  for (let i = 0; i < free; i++) {
    octets.unshift((rest % 254) + 1);
    rest = Math.floor(rest / 254);
  }
  if (rest > 0) throw new RangeError(`lab addressPrefix "${prefix}" holds only ${254 ** free} addresses`);
  return [prefix, ...octets].join('.');
}

/** Splits total into parts proportional to weights (largest remainder), each at most cap[i]. */
function apportion(total: number, weights: number[], caps: number[]): number[] {
  const out = weights.map(() => 0);
  let left = total;
  while (left > 0) {
    const open = weights.map((w, i) => (out[i] < caps[i] ? w : 0));
    const sum = open.reduce((a, b) => a + b, 0);
    if (sum === 0) throw new RangeError('lab size: servers do not fit');
    const shares = open.map((w) => (w / sum) * left);
    let given = 0;
    shares.forEach((s, i) => {
      const add = Math.min(Math.floor(s), caps[i] - out[i]);
      out[i] += add;
      given += add;
    });
    if (given === 0) {
      // Hand out the remainder one by one, biggest fractional share first.
      const order = shares.map((s, i) => [s - Math.floor(s), i] as const).filter(([, i]) => open[i] > 0).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      for (const [, i] of order) {
        if (given === left) break;
        out[i] += 1;
        given += 1;
      }
    }
    left -= given;
  }
  return out;
}

/** Heights for n servers that fit in `room` U, drawn from the cabinet's profile. */
function serverHeights(n: number, room: number, profile: readonly number[], rnd: () => number): number[] {
  const hs = Array.from({ length: n }, () => profile[Math.floor(rnd() * profile.length)]);
  let used = hs.reduce((a, b) => a + b, 0);
  while (used > room) {
    const i = hs.indexOf(Math.max(...hs));
    const smaller = hs[i] === 4 ? 2 : 1;
    used -= hs[i] - smaller;
    hs[i] = smaller;
  }
  return hs;
}

const PROFILES: readonly (readonly number[])[] = [
  [1, 1, 1, 2], // compute
  [2, 2, 1, 4], // storage-heavy
  [1, 2, 2, 1, 4], // mixed
];

export function generateLab(seed: number, size: LabSize, opts: LabGeneratorOptions = {}): InventoryDocument {
  const prefix = opts.addressPrefix ?? '127.16';
  const snmpPort = opts.snmpPort ?? 16161;
  const credential = opts.snmpCredential ?? LAB_SNMP_CREDENTIAL;
  validate(size, prefix);
  const single = opts.loopback === 'single';
  const portBase = opts.singlePortBase ?? SINGLE_PORT_BASE;
  if (single) {
    checkSinglePortBase(portBase);
    if (size.devices > SINGLE_PORT_SPAN) throw new RangeError(`lab size: single-address mode holds at most ${SINGLE_PORT_SPAN} devices, got ${size.devices}`);
  }
  const rnd = createRng(seed);

  const sites: Site[] = [];
  const rooms: LooseRoom[] = [];
  const rows: LooseRow[] = [];
  const cabinets: Cabinet[] = [];
  const devices: Device[] = [];
  const cabinetHost: string[] = []; // hostname stem per cabinet, e.g. "bj1-r1-c0205"

  for (let s = 0; s < size.sites; s++) {
    const base = SITES[s % SITES.length];
    const round = Math.floor(s / SITES.length);
    const code = round === 0 ? base.code : `${base.code.slice(0, -1)}${round + 1}`;
    const site: Site = { id: `site-${code}`, name: round === 0 ? base.name : `${base.name} ${round + 1}`, city: base.city };
    sites.push(site);
    for (let r = 1; r <= size.roomsPerSite; r++) {
      const room: LooseRoom = { id: `room-${code}-${r}`, siteId: site.id, name: `${code.toUpperCase()} Hall ${r}` };
      rooms.push(room);
      for (let w = 1; w <= size.rowsPerRoom; w++) {
        const row: LooseRow = { id: `row-${code}-${r}-r${w}`, roomId: room.id, name: `R${w}` };
        rows.push(row);
        for (let p = 1; p <= size.cabinetsPerRow; p++) {
          const single = rnd() < 0.05;
          cabinets.push({
            id: `cab-${code}-${r}-r${w}-${pad(p)}`,
            rowId: row.id,
            name: `R${w}-${pad(p)}`,
            position: p,
            uHeight: CABINET_U,
            ratedPowerKw: [6, 8, 8, 10, 10, 12][Math.floor(rnd() * 6)],
            feedA: `R${w}-A-PDB-${pad(Math.ceil(p / 4))}`,
            feedB: single ? null : `R${w}-B-PDB-${pad(Math.ceil(p / 4))}`,
            // The head cabinet holds the row's network (its top-of-rack switch): a wider one for cabling.
            widthMm: p === 1 ? 800 : CABINET_DEFAULT_MM.widthMm,
            depthMm: CABINET_DEFAULT_MM.depthMm,
          });
          cabinetHost.push(`${code}-r${r}-c${pad(w)}${pad(p)}`);
        }
      }
    }
  }

  // Servers per cabinet: a few cabinets stay empty, the rest get a weighted share.
  const servers = serverCount(size, cabinets, rows.length);
  const firstOfRow = cabinets.map((c) => c.position === 1);
  const room = firstOfRow.map((f) => CABINET_U - (f ? 1 : 0));
  const empty = cabinets.map(() => rnd() < 0.03);
  const caps = room.map((u, i) => (empty[i] ? 0 : u));
  if (caps.reduce((a, b) => a + b, 0) < servers) caps.forEach((_, i) => (caps[i] = room[i]));
  const perCabinet = apportion(servers, cabinets.map(() => 0.6 + rnd() * 0.8), caps);

  let serial = 0;
  const sn = (): string => `FD${pad((serial++ * 7919 + (seed >>> 0) * 104729 + 1000003) % 9_000_000_000 + 1_000_000_000, 10)}`;
  // Aliases: an address per device, the same ports everywhere. Single: one address, ports per device.
  const endpoint = (n: number): Pick<Device, 'mgmtIp' | 'snmpPort' | 'bmcPort' | 'sshPort'> => {
    if (!single) return { mgmtIp: labAddress(prefix, n), snmpPort, bmcPort: LAB_BMC_PORT, sshPort: LAB_SSH_PORT };
    const p = singlePorts(n, portBase);
    return { mgmtIp: SINGLE_ADDRESS, snmpPort: p.snmp, bmcPort: p.bmc, sshPort: p.ssh };
  };
  const newDevice = (cab: Cabinet, kind: Device['kind'], hostname: string, uPosition: number, uHeight: number, tree: ServiceTreePath | null): Device => {
    const at = endpoint(devices.length);
    return {
      id: `dev-${hostname}`,
      cabinetId: cab.id,
      kind,
      hostname,
      sn: sn(),
      uPosition,
      uHeight,
      mgmtIp: at.mgmtIp,
      snmpPort: at.snmpPort,
      bmcAddress: null,
      bmcPort: at.bmcPort,
      sshPort: at.sshPort,
      snmpCredential: credential,
      sshCredential: null,
      ipmiCredential: null,
      serviceTree: tree,
    };
  };

  cabinets.forEach((cab, i) => {
    const stem = cabinetHost[i];
    const siteCode = stem.slice(0, stem.indexOf('-'));
    // A PDU on each feed the cabinet has: A and B when fed twice.
    if (cab.feedB === null) devices.push(newDevice(cab, 'pdu', `${stem}-pdu`, 0, 0, null));
    else for (const side of ['a', 'b']) devices.push(newDevice(cab, 'pdu', `${stem}-pdu-${side}`, 0, 0, null));
    if (firstOfRow[i]) devices.push(newDevice(cab, 'switch', `${stem}-tor`, CABINET_U, 1, null));

    const n = perCabinet[i];
    if (n === 0) return;
    const heights = serverHeights(n, room[i], PROFILES[Math.floor(rnd() * PROFILES.length)], rnd);
    // One cluster per cabinet; services vary inside it.
    const dept = SERVICE_TREE[Math.floor(rnd() * SERVICE_TREE.length)];
    const prod = dept.products[Math.floor(rnd() * dept.products.length)];
    const cluster = `${siteCode}-${prod.product}-${pad(1 + Math.floor(rnd() * 3))}`;
    let spare = room[i] - heights.reduce((a, b) => a + b, 0);
    let u = 1;
    heights.forEach((h, k) => {
      // Leave the odd blanking-panel gap while there is room to spare.
      if (spare > 0 && rnd() < 0.25) {
        u += 1;
        spare -= 1;
      }
      const service = prod.services[Math.floor(rnd() * prod.services.length)];
      devices.push(newDevice(cab, 'server', `${stem}-s${pad(k + 1)}`, u, h,
        { company: COMPANY, department: dept.department, product: prod.product, cluster, service }));
      u += h;
    });
  });

  // The floor plan: rows in pairs facing each other across cold aisles, the CRAC gap at the
  // west end, each room sized to hold its rows (the computed layout of room-plan.ts).
  const loose = { format: 'fleetdeck-inventory', version: 1, sites, rooms, rows, cabinets, devices } as unknown as InventoryDocument;
  return completeLayout(loose, { ...loose, sites: [], rooms: [], rows: [], cabinets: [], devices: [] }).document;
}
