// The label sheet's data (one cabinet, or every cabinet of a row: hostname, SN, U, cabinet
// per device) with a QR code per device, and the scan page's lookup by exact SN. The QR code
// carries a FleetDeck link that names the SN, <origin>/#/scan/<sn>: any phone opens it, the
// scan page resolves the SN to the device at that moment (an SN survives a re-import that
// renumbers device ids), and the SN is readable from the payload itself.
import QRCode from 'qrcode';
import type { CabinetElevation } from '../../../src-shared/domain';
import { getClient } from '../client';
import { formatRoute } from '../fleet/route';

export interface DeviceLabel {
  readonly deviceId: string;
  readonly hostname: string;
  readonly sn: string;
  readonly uPosition: number;
  readonly uHeight: number;
  readonly cabinetName: string;
  readonly rowName: string;
  readonly roomName: string;
  /** What the QR code says, and the code as a PNG data URL. */
  readonly payload: string;
  readonly qr: string;
}

export interface LabelSheetData {
  readonly scope: 'cabinet' | 'row';
  readonly name: string;
  readonly labels: readonly DeviceLabel[];
}

/** The link a label's QR code carries. */
export function labelPayload(base: string, sn: string): string {
  return `${base}${formatRoute({ view: 'scan', sn })}`;
}

function pageBase(): string {
  return location.href.split('#')[0];
}

async function labelsOf(e: CabinetElevation, base: string): Promise<DeviceLabel[]> {
  // Top of the cabinet first, as the technician reads it; zero-U PDUs last.
  const devices = [...e.devices].sort((a, b) => (b.uHeight > 0 ? 1 : 0) - (a.uHeight > 0 ? 1 : 0) || b.uPosition - a.uPosition);
  return Promise.all(
    devices.map(async (d) => {
      const payload = labelPayload(base, d.sn);
      const qr = await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, scale: 4 });
      return { deviceId: d.id, hostname: d.hostname, sn: d.sn, uPosition: d.uPosition, uHeight: d.uHeight, cabinetName: e.cabinet.name, rowName: e.row.name, roomName: e.room.name, payload, qr };
    }),
  );
}

/** Reads a cabinet, or every cabinet of a row in position order, and draws the QR codes. */
export async function loadLabelSheet(scope: 'cabinet' | 'row', id: string): Promise<LabelSheetData> {
  const client = getClient();
  const base = pageBase();
  if (scope === 'cabinet') {
    const e = await client.call('inventory.elevation', { cabinetId: id });
    return { scope, name: e.cabinet.name, labels: await labelsOf(e, base) };
  }
  const tree = await client.call('inventory.locations', undefined);
  const row = tree.rows.find((r) => r.id === id);
  const cabinets = tree.cabinets.filter((c) => c.rowId === id).sort((a, b) => a.position - b.position);
  const elevations = await Promise.all(cabinets.map((c) => client.call('inventory.elevation', { cabinetId: c.id })));
  const labels = (await Promise.all(elevations.map((e) => labelsOf(e, base)))).flat();
  return { scope, name: row?.name ?? id, labels };
}

/** The device whose SN is exactly sn (search.devices, exact SN matches only), or null. */
export async function findDeviceBySn(sn: string): Promise<{ deviceId: string; cabinetId: string } | null> {
  const q = sn.trim();
  if (!q) return null;
  const hits = await getClient().call('search.devices', { q, limit: 10 });
  const hit = hits.find((h) => h.field === 'sn' && h.match === 'exact' && h.sn === q) ?? hits.find((h) => h.sn.toLowerCase() === q.toLowerCase());
  return hit ? { deviceId: hit.deviceId, cabinetId: hit.cabinetId } : null;
}
