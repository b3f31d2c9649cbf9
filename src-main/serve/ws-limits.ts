// The WebSocket gateway's limits (what a client may open and send, before and after login)
// and the counting of connections per remote address.
import type { Method } from '../../src-shared/api';

export interface GatewayLimits {
  /** Largest message before authentication: an auth message is about 100 bytes. */
  readonly preAuthFrameBytes: number;
  /** Time from the handshake to a valid auth message; then the socket is closed. */
  readonly authDeadlineMs: number;
  /** Sockets open at once, in all and from one remote address. */
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  /** Largest call after authentication, unless the method has its own limit. */
  readonly frameBytes: number;
  readonly methodFrameBytes: Partial<Record<Method, number>>;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  preAuthFrameBytes: 4 * 1024,
  authDeadlineMs: 5_000,
  maxConnections: 2_048,
  maxConnectionsPerAddress: 256,
  frameBytes: 1024 * 1024,
  // Kept for the desktop path's method over serve mode's socket (files up to about 80 k devices
  // as CSV); bulk files belong on the HTTP routes.
  methodFrameBytes: { 'inventory.import': 8 * 1024 * 1024 },
};

/** Close codes the gateway uses: 4401 as before for authentication; 1013 "try again later" for caps. */
export const WS_CLOSE = { unauthenticated: 4401, tooMany: 1013 } as const;

export function capsOf(options: Partial<GatewayLimits>): GatewayLimits {
  const picked = Object.fromEntries(Object.entries(options).filter(([k, v]) => k in DEFAULT_GATEWAY_LIMITS && v !== undefined));
  return { ...DEFAULT_GATEWAY_LIMITS, ...picked };
}

export class ConnectionCaps {
  private total = 0;
  private readonly byAddress = new Map<string, number>();
  constructor(private readonly limits: GatewayLimits) {}

  /** Counts a new socket in; returns why it is refused (and counts nothing), or null. */
  admit(address: string): string | null {
    const mine = this.byAddress.get(address) ?? 0;
    if (this.total >= this.limits.maxConnections) return `too many connections (limit ${this.limits.maxConnections})`;
    if (mine >= this.limits.maxConnectionsPerAddress) return `too many connections from ${address} (limit ${this.limits.maxConnectionsPerAddress})`;
    this.total++;
    this.byAddress.set(address, mine + 1);
    return null;
  }

  release(address: string): void {
    const mine = this.byAddress.get(address) ?? 0;
    if (mine <= 1) this.byAddress.delete(address);
    else this.byAddress.set(address, mine - 1);
    this.total = Math.max(0, this.total - 1);
  }

  get open(): number {
    return this.total;
  }
}
