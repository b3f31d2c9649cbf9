// The IPv4/IPv6 UDP and TCP sockets a process has bound, read from /proc (Linux): each
// socket inode among the process's fds, looked up in /proc/net/{udp,tcp}{,6}.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface BoundSocket {
  proto: 'udp' | 'tcp' | 'udp6' | 'tcp6';
  address: string;
  port: number;
}

export const canReadSockets = existsSync('/proc/net/udp');

function hexToAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  // IPv6: four little-endian 32-bit words
  const words = [0, 1, 2, 3].map((w) => hex.slice(w * 8, w * 8 + 8).match(/../g)!.reverse().join(''));
  return words.join('').match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** Every bound IP socket of the process (TCP listeners and connections, UDP sockets). */
export function boundSockets(pid: number): BoundSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed while reading
    }
  }
  const out: BoundSocket[] = [];
  for (const proto of ['udp', 'tcp', 'udp6', 'tcp6'] as const) {
    const lines = readFileSync(`/proc/net/${proto}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (!inodes.has(f[9])) continue;
      const [addr, port] = f[1].split(':');
      out.push({ proto, address: hexToAddress(addr), port: parseInt(port, 16) });
    }
  }
  return out;
}
