// The fault localiser's answer as the views word it, as pure functions (unit-tested): a suspect's
// kind and the name of what it stands for (from the localisation's places: hostname, switch or
// row, room, site; the bare id when the core sent none), its scores as shares, its evidence pairs
// by hostname, where "show in room" goes for it, what to say when nothing is implicated, and which
// DNS vantages moved recently (a probe.catchmentMoved event for that vantage and resolver).
import type { DnsCatchment } from '../../../src-shared/api/probes';
import type { FleetEvent } from '../../../src-shared/domain';
import type { ComponentKind, ProbeLocalisation, ProbeSuspect } from '../../../src-shared/domain/probe';

export interface SuspectLabel {
  readonly id: string;
  readonly kind: ComponentKind;
  /** The name of what it stands for: a hostname, a switch (or row), a room, a site. */
  readonly name: string;
  /** 0..1: 007's share of the bad paths' blame; NetBouncer's fitted success rate. */
  readonly votes: number;
  readonly fittedSuccess: number;
  readonly badPairs: number;
}

export interface EvidenceRow {
  readonly src: string;
  readonly dst: string;
  readonly srcName: string;
  readonly dstName: string;
  readonly p99Ms: number;
  readonly dropRate: number;
}

/** An id's name in the localisation's places; the id itself when the core named none. */
export function placeName(loc: Pick<ProbeLocalisation, 'places'>, id: string): string {
  return loc.places?.[id]?.name ?? id;
}

export function suspectLabel(loc: Pick<ProbeLocalisation, 'places'>, s: ProbeSuspect): SuspectLabel {
  const c = s.component;
  return { id: c.id, kind: c.kind, name: placeName(loc, c.objectId), votes: clamp01(s.votes), fittedSuccess: clamp01(s.fittedSuccess), badPairs: s.badPairs };
}

/** The suspect's evidence pairs, worst P99 first (ties: worst drop rate), by hostname. */
export function evidenceRows(loc: Pick<ProbeLocalisation, 'places'>, s: ProbeSuspect): EvidenceRow[] {
  return s.pairs
    .map((p) => ({ src: p.src, dst: p.dst, srcName: placeName(loc, p.src), dstName: placeName(loc, p.dst), p99Ms: p.p99Us / 1000, dropRate: Math.max(0, p.dropRate) }))
    .sort((a, b) => b.p99Ms - a.p99Ms || b.dropRate - a.dropRate);
}

/**
 * Where "show in room" opens for a suspect: its room (a site's first room), with the device to
 * land on for a host link, ToR or uplink (the switch; a ToR that is a row has no device, the room
 * view then finds the row); null when the core named no room for it.
 */
export function suspectRoomTarget(loc: Pick<ProbeLocalisation, 'places'>, s: ProbeSuspect): { roomId: string; deviceId: string | null } | null {
  const roomId = loc.places?.[s.component.objectId]?.roomId ?? null;
  if (!roomId) return null;
  const onDevice = s.component.kind === 'host-link' || s.component.kind === 'tor' || s.component.kind === 'tor-uplink';
  return { roomId, deviceId: onDevice ? s.component.objectId : null };
}

/** What the panel says when it names no suspect: no pairs measured, none bad, or bad ones no component explains. */
export function healthyReason(loc: Pick<ProbeLocalisation, 'pairs' | 'badPairs' | 'suspects'>): 'none' | 'noPairs' | 'healthy' | 'scattered' {
  if (loc.suspects.length > 0) return 'none';
  if (loc.pairs === 0) return 'noPairs';
  return loc.badPairs === 0 ? 'healthy' : 'scattered';
}

/** How long a DNS vantage counts as having moved after a probe.catchmentMoved event for it. */
export const DNS_MOVED_RECENT_MS = 15 * 60_000;

export interface DnsRow {
  readonly deviceId: string;
  readonly hostname: string;
  readonly instance: string | null;
  readonly since: number;
  readonly p50Us: number | null;
  /** The instance it answered from before its latest move in the last DNS_MOVED_RECENT_MS; null: it did not move. */
  readonly movedFrom: string | null;
}

/** A resolver's vantages with their recent moves (from the fleet events), moved ones first, then by hostname. */
export function dnsRows(c: DnsCatchment, events: readonly FleetEvent[], now: number): DnsRow[] {
  const moved = new Map<string, { at: number; from: string }>();
  for (const e of events) {
    if (e.code !== 'probe.catchmentMoved' || !e.deviceId || now - e.at > DNS_MOVED_RECENT_MS) continue;
    if (e.params?.resolver !== c.resolver) continue;
    const from = typeof e.params.from === 'string' ? e.params.from : '-';
    const had = moved.get(e.deviceId);
    if (!had || had.at < e.at) moved.set(e.deviceId, { at: e.at, from });
  }
  return c.vantages
    .map((v) => ({ ...v, movedFrom: moved.get(v.deviceId)?.from ?? null }))
    .sort((a, b) => Number(b.movedFrom !== null) - Number(a.movedFrom !== null) || (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
