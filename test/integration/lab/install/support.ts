// What the lab install tests share: a real HTTP callback receiver on 127.0.0.1 that records
// every request, an SNMP GET that reports silence as null, and a look at a lab host over SSH
// through FleetDeck's own pool (which pins host keys on first use, as the console does).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as snmp from 'net-snmp';
import type { Device } from '../../../../src-shared/domain';
import { createSshPool, MemoryHostKeyStore, sshExec, type SshPool } from '../../../../src-main/core/protocols/ssh';

export interface ReceivedCallback {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface CallbackReceiver {
  readonly requests: ReceivedCallback[];
  url(path: string): string;
  close(): Promise<void>;
}

/** A callback receiver; `status(n)` answers the n-th request (from 1), 200 by default. */
export async function startReceiver(status: (n: number) => number = () => 200): Promise<CallbackReceiver> {
  const requests: ReceivedCallback[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: the test says what it expected
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(status(requests.length), { connection: 'close' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export const SYS_NAME = '1.3.6.1.2.1.1.5.0';
export const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

/** The values of the OIDs, or null when the agent does not answer within timeoutMs (no retries). */
export function snmpGet(host: string, port: number, community: string, oids: string[], timeoutMs = 400): Promise<string[] | null> {
  return new Promise((resolve, reject) => {
    const session = snmp.createSession(host, community, { port, version: snmp.Version2c, timeout: timeoutMs, retries: 0 });
    session.on('error', () => {});
    session.get(oids, (err, vbs) => {
      session.close();
      if ((err as Error | null)?.name === 'RequestTimedOutError') resolve(null);
      else if (err) reject(err);
      else resolve(vbs!.map((v) => String(v.value)));
    });
  });
}

export interface SshLook {
  pool: SshPool;
  pins: MemoryHostKeyStore;
  run(d: Device, cmd: string): Promise<string>;
}

/** An SSH pool of its own (its own pins), logging in with the lab's credential. */
export function sshLook(login: { username: string; password: string }): SshLook {
  const pins = new MemoryHostKeyStore();
  const pool = createSshPool({ hostKeys: pins, credentials: () => login, idleTimeoutMs: 5000, connectTimeoutMs: 5000 });
  return {
    pool,
    pins,
    run: (d, cmd) => sshExec(pool, { host: d.mgmtIp, port: d.sshPort, credentialId: d.sshCredential! }, cmd, { check: true }).then((r) => r.stdout.trimEnd()),
  };
}
