// Many lab BMCs in one process, on real loopback UDP (127.43.1.x:17400): FleetDeck's sweep
// reaches all of them through one socket, a BMC whose address is taken is reported rather
// than thrown, and stopping the fleet leaves no handle behind.
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { sweep } from '../../../../src-main/core/protocols/ipmi';
import { createBmcFleet } from '../../../../src-main/lab/bmc';
import { leftOver, resources, until } from '../../../support/handles';

const PORT = 17400;
const CREDS = { username: 'fleetdeck', password: 'lab-bmc-pass' };

describe('lab BMC fleet', () => {
  it('serves 60 BMCs to one sweep, reports a bind failure, and stops cleanly', async () => {
    const before = resources();
    const squatter = createSocket('udp4');
    await new Promise<void>((r) => squatter.bind(PORT, '127.43.1.60', () => r()));
    const fleet = createBmcFleet({
      bmcs: Array.from({ length: 60 }, (_, i) => ({ address: `127.43.1.${i + 1}`, port: PORT, ...CREDS, seed: i, poweredOn: i % 2 === 0 })),
      tickMs: 50,
      startBatch: 16,
    });
    const started = await fleet.start();
    expect(started.started).toBe(59);
    expect(started.failed).toEqual([{ address: '127.43.1.60', port: PORT, error: expect.stringMatching(/EADDRINUSE/) }]);
    const targets = Array.from({ length: 59 }, (_, i) => ({ host: `127.43.1.${i + 1}`, port: PORT, ...CREDS, keepAliveMs: 0 }));
    const results = await sweep(targets, async (c) => (await c.chassisStatus()).powerOn, { concurrency: 16 });
    expect(results.map((r) => (r.ok ? r.value : r.error.message))).toEqual(targets.map((_, i) => i % 2 === 0));
    expect(fleet.get('127.43.1.3', PORT)!.state.power).toBe('on');
    expect([...fleet.all()].every((b) => b.sessions === 0 && b.internalErrors === 0)).toBe(true);
    await fleet.stop();
    await new Promise<void>((r) => squatter.close(() => r()));
    await until('no handle left', () => leftOver(before, resources()).length === 0 || undefined, 5000).catch(() => {
      throw new Error(`handles left open: ${leftOver(before, resources()).join(', ')}`);
    });
  }, 30_000);
});
