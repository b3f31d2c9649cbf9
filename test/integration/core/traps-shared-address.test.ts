// Traps to the right device where several share an address (127.0.0.1, different SNMP ports):
// through createCore, with net-snmp's snmptrap, a trap is given to the one device whose
// community it came with; one whose community two devices there use is kept unattributed with
// both named as candidates, never given to either, unless it came from one of those devices'
// SNMP port (an agent sending from its own socket, as the lab's devices on 127.0.0.1 do).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device, FleetEvent } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { seedOneCabinet } from '../../support/one-cabinet';
import { until } from '../../support/handles';
import { cliEnv, peerCheck, which } from '../../support/snmp-peers';

const TRAP_PORT = 18321;
const admin: CallContext = { actor: 'ada', role: 'admin' };
const peers = peerCheck(['snmptrap']);
const run = promisify(execFile);

const device = (id: string, port: number, cred: string, u: number): Device => ({
  id, cabinetId: 'c', kind: 'switch', hostname: `sw-${id}`, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp: '127.0.0.1', snmpPort: port,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: cred, sshCredential: null, ipmiCredential: null, serviceTree: null,
});

describe.skipIf(peers.skip)(`traps from a shared address${peers.skip ? ` (skipped: ${peers.reason})` : ''}`, () => {
  let core: Core;
  let dir: string;

  beforeAll(async () => {
    if (peers.missing.length) throw new Error(`CI=true: the interop peers must be installed: ${peers.reason}`);
    dir = mkdtempSync(join(tmpdir(), 'fd-shared-traps-'));
    const storePath = join(dir, 'core.db');
    seedOneCabinet(storePath, [device('a', 18331, 'comm-a', 40), device('b', 18332, 'comm-b', 39), device('d', 18333, 'comm-b', 38)]);
    core = await createCore({ storePath, secretKey: randomBytes(32), lab: false, poller: { intervalMs: 60_000, timeoutMs: 200, retries: 0 }, bmcSensors: false, traps: { address: '127.0.0.1', port: TRAP_PORT } });
    await core.api.call(admin, 'credentials.put', { id: 'comm-a', kind: 'snmp-community', name: 'A', secret: 'community-a' });
    await core.api.call(admin, 'credentials.put', { id: 'comm-b', kind: 'snmp-community', name: 'B', secret: 'community-b' });
  });
  afterAll(async () => {
    await core?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const send = (community: string, ifIndex: number) =>
    run(which('snmptrap') ?? 'snmptrap', ['-v2c', '-c', community, `127.0.0.1:${TRAP_PORT}`, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1', 'i', String(ifIndex)], { env: cliEnv(dir) });
  const trapWith = (ifIndex: number) =>
    until(`the trap with ifIndex ${ifIndex}`, async () =>
      (await core.api.call(admin, 'events.recent', { limit: 100 })).find((e): e is FleetEvent => e.kind === 'trap' && JSON.stringify(e.details).includes(`"value":${ifIndex}`)), 3000);

  it('gives a trap to the device whose community it came with', async () => {
    await send('community-a', 71);
    const e = await trapWith(71);
    expect(e).toMatchObject({ deviceId: 'a', params: { source: 'sw-a', name: 'linkDown' } });
    expect(e.details).not.toHaveProperty('candidates');
    expect(JSON.stringify(e)).not.toContain('community-a');
  });

  it('keeps a trap two devices there could have sent unattributed, with both as candidates', async () => {
    await send('community-b', 72);
    const e = await trapWith(72);
    expect(e.deviceId).toBeNull();
    expect(e.details).toMatchObject({ candidates: [{ deviceId: 'b', hostname: 'sw-b' }, { deviceId: 'd', hostname: 'sw-d' }] });
  });

  /** A linkDown sent as an agent sends from its own socket: source port = its SNMP port. */
  const sendFromPort = (community: string, sourcePort: number, ifIndex: number) => new Promise<void>((resolve, reject) => {
    const session = snmp.createSession('127.0.0.1', community, { version: snmp.Version2c, trapPort: TRAP_PORT, sourceAddress: '127.0.0.1', sourcePort } as snmp.SessionOptions);
    session.on('error', reject);
    const varbinds = [{ oid: '1.3.6.1.2.1.2.2.1.1', type: snmp.ObjectType.Integer, value: ifIndex }];
    session.trap(snmp.TrapType.LinkDown, varbinds, (err: Error | null) => {
      session.close();
      if (err) reject(err);
      else resolve();
    });
  });

  it('gives a trap from a device\'s own SNMP port to that device, among those sharing its community', async () => {
    await sendFromPort('community-b', 18333, 73);
    const e = await trapWith(73);
    expect(e).toMatchObject({ deviceId: 'd', params: { source: 'sw-d' }, details: { source: '127.0.0.1:18333' } });
    expect(e.details).not.toHaveProperty('candidates');
  });

  it('does not let the source port outweigh the community: from b\'s port with a\'s community is a\'s', async () => {
    await sendFromPort('community-a', 18332, 74);
    expect(await trapWith(74)).toMatchObject({ deviceId: 'a' });
  });
});
