// Issue 10's serve-mode acceptance for credential bindings, against `node out/main/serve.js
// --no-lab` (build first: npx electron-vite build): an operator's import that moves a device's
// management address to one where this test listens (TCP on the SSH port, UDP on the SNMP
// port) leaves its credentials unbound: fleet.run fails for it with CredentialUnboundError, the
// poller calls it not monitored ('credential-unbound'), and the listeners see no connection
// and no datagram. An admin's credentials.bind makes the next run connect (an SSH client's
// banner arrives) and the poller send. A device an operator adds with the SSH credential is
// unbound (its run connects nowhere); one an admin adds is bound.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device, RunHostResult } from '../../../src-shared/domain';
import { oneCabinet } from '../../support/one-cabinet';
import { startServe, type ServeProcess } from '../../support/serve-process';
import { connect, type TestClient } from '../../support/ws-client';

const OLD = '127.91.0.1';
const NEW = '127.91.0.2';
const OPERATOR_NEW = '127.91.0.3';
const ADMIN_NEW = '127.91.0.4';

/** A TCP listener that records every connection and the first bytes each sent, then drops it. */
interface Listener {
  server: Server;
  port: number;
  connections: string[];
}
async function listenTcp(host: string): Promise<Listener> {
  const l: Listener = { server: createServer(), port: 0, connections: [] };
  l.server.on('connection', (sock) => {
    const i = l.connections.push('') - 1;
    sock.on('data', (b) => {
      l.connections[i] += b.toString('latin1');
      sock.destroy();
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => l.server.listen(0, host, r));
  l.port = (l.server.address() as { port: number }).port;
  return l;
}
async function listenUdp(host: string): Promise<{ socket: UdpSocket; port: number; datagrams: number }> {
  const u = { socket: createSocket('udp4'), port: 0, datagrams: 0 };
  u.socket.on('message', () => u.datagrams++);
  await new Promise<void>((r) => u.socket.bind(0, host, r));
  u.port = u.socket.address().port;
  return u;
}

async function until<T>(what: string, f: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('serve: a credential is used only for the addresses it was bound to', () => {
  let serve: ServeProcess;
  let admin: TestClient;
  let operator: TestClient;
  let ssh: Listener;
  let snmp: Awaited<ReturnType<typeof listenUdp>>;
  let opSsh: Listener;
  let adminSsh: Listener;
  let device: Device;

  beforeAll(async () => {
    [ssh, snmp, opSsh, adminSsh] = await Promise.all([listenTcp(NEW), listenUdp(NEW), listenTcp(OPERATOR_NEW), listenTcp(ADMIN_NEW)]);
    serve = await startServe(['--no-lab', '--poll-interval-ms', '60000']);
    [admin, operator] = await Promise.all([connect(serve.url, serve.tokens.admin), connect(serve.url, serve.tokens.operator)]);
    await admin.call('credentials.put', { id: 'ssh-ops', kind: 'ssh-password', name: 'ops', secret: { username: 'ops', password: 'never-sent-anywhere' } });
    await admin.call('credentials.put', { id: 'snmp-ro', kind: 'snmp-community', name: 'ro', secret: 'never-sent-either' });
    device = {
      id: 'srv-1', cabinetId: 'c', kind: 'server', hostname: 'srv-1', sn: 'SN-1', uPosition: 1, uHeight: 1, mgmtIp: OLD, snmpPort: snmp.port,
      bmcAddress: null, bmcPort: 623, sshPort: ssh.port, snmpCredential: 'snmp-ro', sshCredential: 'ssh-ops', ipmiCredential: null, serviceTree: null,
    };
    await admin.call('inventory.import', { format: 'json', text: JSON.stringify(oneCabinet([device])), replace: null, dryRun: false });
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([admin?.close(), operator?.close()]);
    const code = await serve?.stop();
    expect(code === 0 || code === null).toBe(true);
    for (const l of [ssh, opSsh, adminSsh]) l?.server.close();
    snmp?.socket.close();
    if (serve) rmSync(serve.dataDir, { recursive: true, force: true });
  });

  const run = async (who: TestClient, deviceId: string): Promise<RunHostResult> => {
    const started = await who.call('fleet.run', { deviceIds: [deviceId], command: 'true', timeoutMs: 3000 });
    return until('the run result', () => who.events.find((e) => e.event === 'onDidReceiveRunResult' && (e.payload as RunHostResult).runId === started.runId)?.payload as RunHostResult | undefined);
  };
  const bound = async (deviceId: string) => Object.fromEntries((await operator.call('credentials.bindings', { deviceId })).map((s) => [s.role, s.bound]));

  it('an operator\'s import moving the device unbinds it: the run fails clearly and nothing reaches the new address', async () => {
    const moved = JSON.stringify(oneCabinet([{ ...device, mgmtIp: NEW }]));
    const preview = await operator.call('inventory.import', { format: 'json', text: moved, replace: null, dryRun: true });
    expect(preview.addressChanges).toEqual([{ deviceId: 'srv-1', hostname: 'srv-1', endpoint: 'mgmt', from: `${OLD} snmp:${snmp.port} ssh:${ssh.port}`, to: `${NEW} snmp:${snmp.port} ssh:${ssh.port}` }]);
    await operator.call('inventory.import', { format: 'json', text: moved, replace: null, dryRun: false });
    expect(await bound('srv-1')).toEqual({ snmp: false, ssh: false, ipmi: false });

    const r = await run(operator, 'srv-1');
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ name: 'CredentialUnboundError', code: 'CONFLICT', params: { role: 'ssh', credentialId: 'ssh-ops', endpoint: `${NEW}:${ssh.port}` } });
    expect(r.error).toBe(`CredentialUnboundError: the SSH credential ssh-ops of srv-1 is not bound to ${NEW}:${ssh.port}; an admin must bind it`);
    const detail = await operator.call('device.detail', { deviceId: 'srv-1' });
    expect(detail.monitoring).toMatchObject({ polled: false, reason: 'credential-unbound' });

    await new Promise((res) => setTimeout(res, 1000));
    expect(ssh.connections).toEqual([]);
    expect(snmp.datagrams).toBe(0);
    // An operator cannot bind.
    await expect(operator.call('credentials.bind', { deviceIds: ['srv-1'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('an admin\'s credentials.bind makes the next run connect there, and the poller send', async () => {
    const done = await admin.call('credentials.bind', { deviceIds: ['srv-1'] });
    expect(done.bound.map((b) => `${b.role} ${b.credentialId} ${b.endpoint}`)).toEqual([`snmp snmp-ro ${NEW}:${snmp.port}`, `ssh ssh-ops ${NEW}:${ssh.port}`]);
    expect(await bound('srv-1')).toEqual({ snmp: true, ssh: true, ipmi: false });
    const r = await run(admin, 'srv-1');
    expect(r.failure?.name).not.toBe('CredentialUnboundError');
    expect(ssh.connections.length).toBeGreaterThan(0);
    expect(ssh.connections[0]).toMatch(/^SSH-2\.0-/);
    await until('an SNMP request at the bound address', () => (snmp.datagrams > 0 ? true : undefined));
    const audit = await admin.call('audit.list', { action: 'credentials.bind' });
    expect(audit.filter((e) => e.action === 'credentials.bind').map((e) => `${e.role} ${e.outcome}`).sort()).toEqual(['admin succeeded', 'operator refused']);
  });

  it('a new device with the SSH credential is unbound when an operator adds it, bound when an admin does', async () => {
    await operator.call('inventory.putDevice', { device: { ...device, id: 'srv-op', hostname: 'srv-op', sn: 'SN-OP', uPosition: 2, mgmtIp: OPERATOR_NEW, sshPort: opSsh.port, snmpCredential: null } });
    await admin.call('inventory.putDevice', { device: { ...device, id: 'srv-ad', hostname: 'srv-ad', sn: 'SN-AD', uPosition: 3, mgmtIp: ADMIN_NEW, sshPort: adminSsh.port, snmpCredential: null } });
    expect(await bound('srv-op')).toEqual({ snmp: false, ssh: false, ipmi: false });
    expect(await bound('srv-ad')).toEqual({ snmp: false, ssh: true, ipmi: false });
    expect((await run(operator, 'srv-op')).failure).toMatchObject({ name: 'CredentialUnboundError' });
    expect((await run(operator, 'srv-ad')).failure?.name).not.toBe('CredentialUnboundError');
    expect(opSsh.connections).toEqual([]);
    expect(adminSsh.connections[0]).toMatch(/^SSH-2\.0-/);
  });
});
