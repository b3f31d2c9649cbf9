// Agent summaries and results for the agents store tests.
import type { AgentResult } from '../../../../../src-shared/agent-protocol/messages';
import type { AgentSummary } from '../../../../../src-shared/domain/agent';

export function agent(id: string, extra: Partial<AgentSummary> = {}): AgentSummary {
  return {
    id, deviceId: `dev-${id}`, hostname: `${id}.lab`, state: 'enrolled', health: 'healthy', connected: true, version: '1.0.0', remote: '127.0.0.1:40000',
    lastSeenAt: 1_000, lastSeq: 10, status: { at: 1_000, state: 'ok', cpuPct: 0.5, rssBytes: 40 * 1024 * 1024, bufferDepth: 0, bufferBytes: 0, dropped: 0 },
    enrolledAt: 100, enrolledBy: 'admin@127.0.0.1', revokedAt: null, revokedBy: null, ...extra,
  };
}

export const IDENTITY = { fingerprint256: 'AB:CD:EF', certPem: '-----BEGIN CERTIFICATE-----', listen: { host: '127.0.0.1', port: 17443 } };

export function metrics(seq: number, cpuIdlePct: number): AgentResult {
  return { seq, at: seq * 1000, data: { kind: 'metrics', cpuIdlePct, load: [0.1, 0.2, 0.3], memTotalBytes: 8 << 30, memFreeBytes: 2 << 30, disks: [{ mount: '/', totalBytes: 100, usedBytes: 40 }], nets: [] } };
}

export function proc(seq: number, name: string, pid: number | null): AgentResult {
  return { seq, at: seq * 1000, data: { kind: 'process', name, pid, cpuPct: 1, rssBytes: 1024, qps: null, latencyMs: null } };
}

export function inventory(seq: number): AgentResult {
  return {
    seq, at: seq * 1000,
    data: { kind: 'inventory', osRelease: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0', packages: [{ name: 'bash', version: '5.2' }, { name: 'openssh-server', version: '9.2' }], files: [{ path: '/etc/hosts', sha256: 'a'.repeat(64), error: null }, { path: '/etc/missing', sha256: null, error: 'ENOENT' }] },
  };
}

export function status(seq: number): AgentResult {
  return { seq, at: seq * 1000, data: { kind: 'status', state: 'ok', cpuPct: 0.4, rssBytes: 1 << 20, bufferDepth: 3, bufferBytes: 900, dropped: 0 } };
}
