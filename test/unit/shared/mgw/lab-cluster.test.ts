// The lab's MGW cluster (src-shared/mgw/lab-cluster.ts): what labGatewayCluster gives for a
// two-octet loopback prefix passes the daemon's own schema unchanged (so the nodes and the
// router take it), sits at <prefix>.0.x where the lab puts no device, and there is none for a
// prefix that is not a lab's own aliases.
import { describe, expect, it } from 'vitest';
import { mgwClusterSchema, mgwRunConfigSchema } from '../../../../src-shared/mgw/config';
import { labGatewayCluster } from '../../../../src-shared/mgw/lab-cluster';

const SHA = 'ab'.repeat(32);

describe('labGatewayCluster', () => {
  it('is a valid cluster at <prefix>.0.x: 3 nodes, R=2, one UDP VIP, 3 backends', () => {
    const c = labGatewayCluster('127.21', SHA);
    expect(c).not.toBeNull();
    // The daemon's schema takes it as it is: nothing to fill or change.
    expect(mgwClusterSchema.parse(c)).toEqual(c);
    expect(mgwRunConfigSchema.parse({ self: 'gw2', cluster: c, stateDir: '/tmp/x', bindVips: false }).cluster).toEqual(c);
    expect(c).toMatchObject({ cluster: 'lab', r: 2, maxSessions: 100_000, udpIdleS: 300, controlTokenSha256: SHA, health: { intervalMs: 500, fails: 3 } });
    expect(c!.nodes).toEqual([11, 12, 13].map((h, i) => ({
      id: `gw${i + 1}`,
      ingress: { address: `127.21.0.${h}`, port: 7001 },
      sync: { address: `127.21.0.${h}`, port: 7002 },
      control: { address: `127.21.0.${h}`, port: 7003 },
    })));
    expect(c!.vips).toEqual([{ address: '127.21.0.1', port: 5300, proto: 'udp' }]);
    expect(c!.backends).toEqual([101, 102, 103].map((h, j) => ({ name: `be${j + 1}`, address: `127.21.0.${h}`, port: 7100, weight: 1 })));
  });

  it('follows the prefix', () => {
    const c = labGatewayCluster('127.16', SHA)!;
    expect([...c.nodes.map((n) => n.control.address), ...c.vips.map((v) => v.address), ...c.backends.map((b) => b.address)].every((a) => a.startsWith('127.16.0.'))).toBe(true);
  });

  it('is null for anything but a two-octet loopback prefix', () => {
    for (const p of ['', '127', '127.0.0.1', '127.21.0', '10.21', '192.168', '127.x', '127.1234', '127.256', 'localhost']) {
      expect(labGatewayCluster(p, SHA), p).toBeNull();
    }
  });
});
