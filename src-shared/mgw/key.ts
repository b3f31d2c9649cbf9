// A gateway flow's key, packed into two u32 so the session table, the sync wire format and the
// placement hash share one form (src-daemons/mgw/DESIGN.md): k0 = the client's IPv4 address,
// k1 = client port << 16 | VIP index << 4 | protocol. Pure TS (no Buffer): the console, the
// daemon and the lab use it.

export const PROTO_UDP = 1;
export const PROTO_TCP = 2;
export type FlowProto = typeof PROTO_UDP | typeof PROTO_TCP;
/** VIP indexes fit in 12 bits. */
export const MAX_VIPS = 4096;

/** k1 of a flow: client port, VIP index, protocol. */
export function packK1(clientPort: number, vipIndex: number, proto: number): number {
  return (((clientPort & 0xffff) << 16) | ((vipIndex & 0xfff) << 4) | (proto & 0xf)) >>> 0;
}

export const k1Port = (k1: number): number => k1 >>> 16;
export const k1Vip = (k1: number): number => (k1 >>> 4) & 0xfff;
export const k1Proto = (k1: number): number => k1 & 0xf;

/** Dotted IPv4 to u32 (NaN-free: throws on anything else). */
export function ipv4ToU32(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`);
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`not an IPv4 address: ${ip}`);
    v = v * 256 + Number(p);
  }
  return v >>> 0;
}

export function u32ToIpv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}
