// The responders every agent runs so any agent can be probed (probe.ts's plan.responder):
//  - TCP on tcpPort: accepts and closes at once (the prober only times the handshake);
//    errors of the accepted sockets (the prober resets its side) are expected and ignored.
//  - UDP echo on udpPort: sends back, unchanged, only echo probes (exactly UDP_ECHO_BYTES
//    with UDP_ECHO_MAGIC); everything else is dropped, late echoes (UDP_ECHO_LATE_MAGIC)
//    included, so the echo never amplifies, never answers a spoofed stranger with more than
//    it sent, and two responders never ping-pong. When the responder's own loop was stalled
//    as it answered (its stall detector, `stalls`, sees a stall in the last LATE_WINDOW_MS or
//    one still going: the probe waited in this loop), the echo goes back with its magic
//    rewritten to UDP_ECHO_LATE_MAGIC, same length, and the prober sets the sample aside.
//    Without a detector every echo is on time.
// Both listen on responder.bind (default 0.0.0.0). A bind failure (port in use, an address
// this host does not have) is logged with the port and the reason and the responder stays
// down; the agent keeps probing. startResponders never rejects.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { decodeUdpEcho, markUdpEchoLate, type ProbePlan } from '../../../src-shared/agent-protocol/probe';
import type { StallDetector } from '../../../src-shared/stall-detector';

/** A stall that ended this recently (or is still going) may have held the echo being sent. */
export const LATE_WINDOW_MS = 20;

export interface Responders {
  /** Whether each responder is listening (false: its bind failed, see the log). */
  readonly tcp: boolean;
  readonly udp: boolean;
  /** Connections accepted and datagrams echoed (late: of them, as late echoes) / ignored so far. */
  readonly counts: { readonly accepted: number; readonly echoed: number; readonly late: number; readonly ignored: number };
  close(): Promise<void>;
}

export async function startResponders(r: ProbePlan['responder'], log: (line: string) => void, stalls?: Pick<StallDetector, 'overlaps' | 'now'>): Promise<Responders> {
  const bind = r.bind ?? '0.0.0.0';
  const counts = { accepted: 0, echoed: 0, late: 0, ignored: 0 };
  const ignore = (): void => {};

  const tcp = net.createServer({ noDelay: true }, (s) => {
    counts.accepted++;
    s.on('error', ignore);
    s.destroy();
  });
  const tcpUp = await new Promise<boolean>((resolve) => {
    const failed = (err: NodeJS.ErrnoException): void => {
      log(`probe: the TCP responder cannot listen on ${bind}:${r.tcpPort}: ${why(err)}; probing goes on without it`);
      resolve(false);
    };
    tcp.once('error', failed);
    tcp.listen({ port: r.tcpPort, host: bind, backlog: 1024, exclusive: true }, () => {
      tcp.off('error', failed);
      resolve(true);
    });
  });
  tcp.on('error', (err) => log(`probe: the TCP responder on ${bind}:${r.tcpPort} failed: ${err.message}`));

  const udp = dgram.createSocket(bind.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (msg, rinfo) => {
    const echo = decodeUdpEcho(msg);
    if (echo === null || echo.late) {
      counts.ignored++;
      return;
    }
    counts.echoed++;
    if (stalls) {
      const t = stalls.now();
      if (stalls.overlaps(t - LATE_WINDOW_MS, t)) {
        counts.late++;
        markUdpEchoLate(msg);
      }
    }
    udp.send(msg, rinfo.port, rinfo.address);
  });
  const udpUp = await new Promise<boolean>((resolve) => {
    const failed = (err: NodeJS.ErrnoException): void => {
      log(`probe: the UDP echo responder cannot listen on ${bind}:${r.udpPort}: ${why(err)}; probing goes on without it`);
      resolve(false);
    };
    udp.once('error', failed);
    udp.bind({ port: r.udpPort, address: bind, exclusive: true }, () => {
      udp.off('error', failed);
      resolve(true);
    });
  });
  udp.on('error', (err) => log(`probe: the UDP echo responder on ${bind}:${r.udpPort} failed: ${err.message}`));
  if (!udpUp) {
    try {
      udp.close();
    } catch {
      // the failed bind closed it already
    }
  }

  return {
    tcp: tcpUp,
    udp: udpUp,
    counts,
    close: async () => {
      await new Promise<void>((resolve) => (tcpUp ? tcp.close(() => resolve()) : resolve()));
      if (udpUp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

function why(err: NodeJS.ErrnoException): string {
  if (err.code === 'EADDRINUSE') return 'the port is in use by another program';
  if (err.code === 'EADDRNOTAVAIL') return 'this host has no such address';
  if (err.code === 'EACCES') return 'not permitted (a port below 1024 needs privileges)';
  return err.message;
}
