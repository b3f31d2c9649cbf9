// The failover drill's test traffic (src-main/core/gateways/gateway-drill.ts): datagrams a
// drill client sends to a VIP, which the backend's agent answers itself instead of handing them
// to the service (src-daemons/agent/gateway/decap.ts), so a drill runs against any UDP service
// and sees which backend served each of its sessions. ASCII, one line:
//
//   probe   FDDRILL1 <drill> <session> <seq>
//   answer  FDDRILL1 <drill> <session> <seq> <backend>
//
// drill: the drill's id (8 hex digits: answers to another drill are not counted), session:
// the client socket's index, seq: the round. A payload that does not start with the magic is
// the service's, untouched. The magic is long and specific enough that no real client payload
// starts with it by accident.
export const DRILL_MAGIC = 'FDDRILL1 ';
const MAGIC = Buffer.from(DRILL_MAGIC, 'latin1');

export interface DrillProbe {
  readonly drill: string;
  readonly session: number;
  readonly seq: number;
}

export interface DrillAnswer extends DrillProbe {
  readonly backend: string;
}

export function encodeDrillProbe(p: DrillProbe): Buffer {
  return Buffer.from(`${DRILL_MAGIC}${p.drill} ${p.session} ${p.seq}`, 'latin1');
}

export function isDrillProbe(payload: Uint8Array): boolean {
  if (payload.length < MAGIC.length || payload.length > 128) return false;
  for (let i = 0; i < MAGIC.length; i++) if (payload[i] !== MAGIC[i]) return false;
  return true;
}

/** The agent's answer to a probe: the probe's bytes and the backend's name. */
export function answerDrillProbe(payload: Uint8Array, backend: string): Buffer[] {
  return [Buffer.from(payload), Buffer.from(` ${backend}`, 'utf8')];
}

/** An answer, or null for anything else (another format, a malformed line). */
export function parseDrillAnswer(m: Uint8Array): DrillAnswer | null {
  if (m.length > 256) return null;
  const s = Buffer.from(m).toString('utf8');
  if (!s.startsWith(DRILL_MAGIC)) return null;
  const f = /^([0-9a-f]{8}) (\d{1,9}) (\d{1,9}) (\S{1,64})$/.exec(s.slice(DRILL_MAGIC.length));
  if (!f) return null;
  return { drill: f[1], session: Number(f[2]), seq: Number(f[3]), backend: f[4] };
}
