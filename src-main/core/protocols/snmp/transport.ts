// The SNMP transport: net-snmp opens its UDP sockets from a dgram module, injected here so
// tests and the lab can swap node:dgram for their own (sessions and the trap receiver take it).
import * as dgram from 'node:dgram';

/** What net-snmp needs from node:dgram. */
export interface DgramModule {
  createSocket(type: 'udp4'): dgram.Socket;
}

/** node:dgram itself: the default transport. */
export const UDP: DgramModule = dgram;

/**
 * A dgram module whose sockets bind an ephemeral port whatever port they are asked for
 * (net-snmp reads port 0 as "not given" and binds its default, 162 for a receiver).
 */
export function ephemeralPort(mod: DgramModule): DgramModule {
  return {
    createSocket(type) {
      const socket = mod.createSocket(type);
      const bind = socket.bind.bind(socket) as (...args: unknown[]) => dgram.Socket;
      socket.bind = ((...args: unknown[]) => {
        if (typeof args[0] === 'number') args[0] = 0;
        else if (typeof args[0] === 'object' && args[0] !== null) args[0] = { ...(args[0] as object), port: 0 };
        return bind(...args);
      }) as typeof socket.bind;
      return socket;
    },
  };
}
