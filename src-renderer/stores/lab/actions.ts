// Lab fault panel actions. The core decides whether this session may inject faults;
// the UI shows its answer, refusal included. A fault's answer is the lab's status, which
// also lists its network faults, so the panel's list follows every change.
import type { LabFault, LocationTree, RoomLayout } from '../../../src-shared/domain';
import { getClient } from '../client';
import { loadElevation } from '../fleet/actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { netFaultOf, type NetFaultForm } from './net-fault';
import { initialLab, type LabState, type NetTarget, type NetTargets } from './slice';

const patchLab = (p: Partial<LabState>) => patch('lab', p);

export async function injectFault(fault: LabFault): Promise<void> {
  patchLab({ pending: fault.kind, error: null, result: null });
  try {
    const result = await getClient().call('lab.fault', fault);
    patchLab({ pending: null, result });
    patch('labStatus', { status: result, error: null });
    const r = useAppStore.getState().fleet.route;
    if (r.view === 'cabinet') void loadElevation(r.cabinetId);
  } catch (err) {
    patchLab({ pending: null, error: toShownError(err) });
  }
}

/** Puts the form's network fault on (or clears it, both figures 0); a form that does not hold one says why and sends nothing. */
export function injectNetFault(form: NetFaultForm): Promise<void> {
  const f = netFaultOf(form);
  if ('problem' in f) return Promise.resolve(); // the section shows the problem beside the inputs
  return injectFault(f.fault);
}

/** Clears one network fault (loss and delay 0). */
export function clearNetFault(component: string): Promise<void> {
  return injectFault({ kind: 'net-fault', component, loss: 0, delayMs: 0 });
}

export function dismissLabMessage(): void {
  useAppStore.setState({ lab: initialLab });
}

/** Asks whether the lab runs (--no-lab or a configured fleet: it does not). */
export async function loadLabStatus(): Promise<void> {
  try {
    const status = await getClient().call('lab.status', undefined);
    patch('labStatus', { status, error: null });
  } catch (err) {
    patch('labStatus', { error: toShownError(err) });
  }
}

const byLabel = (a: NetTarget, b: NetTarget): number => a.label.localeCompare(b.label) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The ToRs of a room as the probe topology sees them: per row, its lowest-id switch, else the row itself. */
export function torsOfRoom(layout: Pick<RoomLayout, 'rows' | 'cabinets' | 'devices'>): NetTargets['tors'][number][] {
  const rowOf = new Map(layout.cabinets.map((c) => [c.id, c.rowId]));
  const sw = new Map<string, { id: string; hostname: string }>();
  for (const d of layout.devices) {
    const row = d.kind === 'switch' && d.cabinetId ? rowOf.get(d.cabinetId) : undefined;
    if (row === undefined) continue;
    const had = sw.get(row);
    if (had === undefined || d.id < had.id) sw.set(row, d);
  }
  return layout.rows.map((r) => {
    const s = sw.get(r.id);
    return { id: s?.id ?? r.id, label: s ? `${r.name} · ${s.hostname}` : r.name, rowId: r.id };
  }).sort(byLabel);
}

/** Rooms labelled with their site (spines), and sites (WAN edges), from the location tree. */
export function roomsAndSites(tree: Pick<LocationTree, 'sites' | 'rooms'>): { rooms: NetTarget[]; sites: NetTarget[] } {
  const site = new Map(tree.sites.map((s) => [s.id, s.name]));
  return {
    rooms: tree.rooms.map((r) => ({ id: r.id, label: `${site.get(r.siteId) ?? r.siteId} · ${r.name}` })).sort(byLabel),
    sites: tree.sites.map((s) => ({ id: s.id, label: s.name })).sort(byLabel),
  };
}

/** What the Network section offers for the open cabinet's room (loaded once per room). */
export async function loadNetTargets(roomId: string): Promise<void> {
  if (useAppStore.getState().labStatus.netTargets?.roomId === roomId) return;
  try {
    const [layout, tree] = await Promise.all([getClient().call('inventory.roomLayout', { roomId }), getClient().call('inventory.locations', undefined)]);
    const targets: NetTargets = { roomId, tors: torsOfRoom(layout), ...roomsAndSites(tree) };
    patch('labStatus', { netTargets: targets, netTargetsError: null });
  } catch (err) {
    patch('labStatus', { netTargetsError: toShownError(err) });
  }
}
