import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../src-main/core/create-core';
import type { IssuedToken } from '../../../src-main/core/store/token-repository';
import { startServeServer, type ServeServer } from '../../../src-main/serve/serve-server';
import { connect } from '../../support/ws-client';

const INVENTORY = {
  format: 'fleetdeck-inventory',
  version: 1,
  sites: [{ id: 's1', name: 'Site One', city: 'Beijing' }],
  rooms: [{ id: 'r1', siteId: 's1', name: 'Room 1' }],
  rows: [{ id: 'row1', roomId: 'r1', name: 'Row A' }],
  cabinets: [{ id: 'c1', rowId: 'row1', name: 'A01', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: 'A-1', feedB: 'B-1' }],
  devices: [
    {
      id: 'd1', cabinetId: 'c1', kind: 'server', hostname: 'web-01', sn: 'SN0001', uPosition: 10, uHeight: 2,
      mgmtIp: '127.19.0.1', snmpPort: 16363, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
    },
  ],
};

let dir: string;
let core: Core;
let server: ServeServer;
let tokens: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-serve-'));
  const staticDir = join(dir, 'www');
  await import('node:fs').then((fs) => {
    fs.mkdirSync(staticDir);
    fs.writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>FleetDeck</title>');
  });
  core = await createCore({ storePath: join(dir, 'fd.db'), secretKey: randomBytes(32), lab: false, poller: { intervalMs: 60_000, timeoutMs: 200, retries: 0 } });
  tokens = Object.fromEntries(core.auth.rotateTokens().map((t: IssuedToken) => [t.role, t.token]));
  server = await startServeServer({ core, staticDir, bind: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('serve mode', () => {
  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('FleetDeck');
    const escape = await fetch(`${server.url}..%2f..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toContain('root:');
  });

  it('refuses a bad token with a clear error and audits it', async () => {
    await expect(connect(server.url, 'not-a-real-token-0000000000')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'Unknown or revoked access token' });
    const admin = await connect(server.url, tokens.admin);
    const audit = await admin.call('audit.list', { limit: 10 });
    expect(audit.find((e) => e.action === 'session.auth')).toMatchObject({ outcome: 'refused' });
    await admin.close();
  });

  it('closes a connection that never authenticates with a call', async () => {
    const ws = new WebSocket(server.url.replace('http', 'ws') + 'api');
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'fleet.overview' }));
    const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
    expect(code).toBe(4401);
  });

  it('lets a viewer read, refuses it an operator action (audited), and lets an operator act', async () => {
    const viewer = await connect(server.url, tokens.viewer);
    expect(viewer.role).toBe('viewer');
    await expect(viewer.call('inventory.import', { format: 'json', text: JSON.stringify(INVENTORY) })).rejects.toMatchObject({
      name: 'ForbiddenError',
      code: 'FORBIDDEN',
      message: '"inventory.import" needs the operator role; this session is viewer',
    });
    const operator = await connect(server.url, tokens.operator);
    const result = await operator.call('inventory.import', { format: 'json', text: JSON.stringify(INVENTORY) });
    expect(result.imported.devices).toBe(1);
    const overview = await viewer.call('fleet.overview', undefined);
    // no SNMP credential: listed, but not something the poller can (or waits to) reach
    expect(overview.totals).toMatchObject({ sites: 1, rooms: 1, cabinets: 1, devices: 1, pollable: 0, polled: 0 });
    const elevation = await viewer.call('inventory.elevation', { cabinetId: 'c1' });
    expect(elevation.devices[0]).toMatchObject({ hostname: 'web-01', uPosition: 10, uHeight: 2 });

    const admin = await connect(server.url, tokens.admin);
    const audit = await admin.call('audit.list', { limit: 20 });
    expect(audit.filter((e) => e.action === 'inventory.import').map((e) => e.outcome).sort()).toEqual(['refused', 'succeeded']);
    expect(audit.find((e) => e.outcome === 'refused' && e.action === 'inventory.import')?.actor).toMatch(/^viewer@127\.0\.0\.1$/);
    await expect(operator.call('audit.list', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await Promise.all([viewer.close(), operator.close(), admin.close()]);
  });

  it('returns named errors for bad arguments and unknown targets', async () => {
    const viewer = await connect(server.url, tokens.viewer);
    await expect(viewer.call('inventory.elevation', { cabinetId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'cabinet "nope" does not exist' });
    await expect(viewer.call('inventory.elevation', {} as never)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(viewer.call('lab.fault' as never, { kind: 'kill-device', deviceId: 'd1' } as never)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await viewer.close();
  });

  it('never sends a credential secret to a client', async () => {
    const admin = await connect(server.url, tokens.admin);
    await admin.call('credentials.put', { id: 'pdu-snmp', kind: 'snmp-community', name: 'PDUs', secret: 'very-secret-community' });
    const list = await admin.call('credentials.list', undefined);
    expect(list).toEqual([expect.objectContaining({ id: 'pdu-snmp', name: 'PDUs' })]);
    expect(JSON.stringify(list)).not.toContain('very-secret');
    await admin.close();
  });
});
