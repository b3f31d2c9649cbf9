// credentials.test: one real request with a stored credential against a chosen device, bounded
// in time: SNMP GET sysName.0 (snmp kinds), IPMI Get Device ID (ipmi), SSH exec `true` (ssh
// kinds). The outcome carries what was asked, how long it took and the protocol's own error,
// named (SnmpAuthError, IpmiAuthError, SshAuthError...). A test never pins an SSH host key: it
// checks the pinned one when there is one, and leaves trust on first use to real sessions.
// Nothing is sent unless the device's binding for the credential's role holds the endpoint
// the request would go to (any credential may be tried there: the caller is an admin, the
// endpoint one an admin bound); otherwise CredentialUnboundError, and no packet.
import type { CredentialRole, CredentialTestResult, Device } from '../../../src-shared/domain';
import { FleetDeckError, NotFoundError, serializeError, ValidationError } from '../../../src-shared/errors';
import { createIpmiClient, PRIVILEGE, type PrivilegeLevel } from '../protocols/ipmi';
import { createSnmpSession } from '../protocols/snmp';
import { connectSsh, execOn, type HostKeyStore } from '../protocols/ssh';
import type { CredentialRepository } from '../store/credential-repository';
import type { CredentialResolver } from './credential-resolver';

export const CREDENTIAL_TEST_TIMEOUT_MS = 3000;
const SYS_NAME = '1.3.6.1.2.1.1.5.0';

export interface CredentialTesterDeps {
  repo: Pick<CredentialRepository, 'info' | 'secret'>;
  resolver: Pick<CredentialResolver, 'snmp' | 'login' | 'requireBound'>;
  device: (id: string) => Device | null;
  hostKeys: HostKeyStore;
  timeoutMs?: number;
}

const PRIVILEGES: Record<string, PrivilegeLevel> = { user: PRIVILEGE.USER, operator: PRIVILEGE.OPERATOR, administrator: PRIVILEGE.ADMINISTRATOR };

/** Rejects with a timeout error after ms; the request's own cleanup runs regardless. */
function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new FleetDeckError('UNAVAILABLE', `${what}: no answer within ${ms} ms`, { timeoutMs: ms });
      err.name = 'CredentialTestTimeoutError';
      reject(err);
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createCredentialTester(d: CredentialTesterDeps): (id: string, deviceId: string) => Promise<CredentialTestResult> {
  const timeoutMs = d.timeoutMs ?? CREDENTIAL_TEST_TIMEOUT_MS;
  /** Checks against a pin, never pins. */
  const checkOnly: HostKeyStore = { get: (h, p) => d.hostKeys.get(h, p), pin: () => {}, forget: () => {} };

  /** Refuses (CredentialUnboundError) unless the device's binding for the role holds host:port. */
  const bound = (dev: Device, role: CredentialRole, id: string, host: string, port: number): void =>
    d.resolver.requireBound({ deviceId: dev.id, role, credentialId: id, host, port }, { anyCredential: true, hostname: dev.hostname });

  const plan = (id: string, dev: Device): { request: string; run: () => Promise<unknown> } => {
    const kind = d.repo.info(id).kind;
    if (kind === 'snmp-community' || kind === 'snmp-v3') {
      bound(dev, 'snmp', id, dev.mgmtIp, dev.snmpPort);
      const credentials = d.resolver.snmp(id)!;
      return {
        request: `SNMP GET sysName.0 on ${dev.mgmtIp}:${dev.snmpPort} (v${credentials.version})`,
        run: async () => {
          const s = createSnmpSession({ host: dev.mgmtIp, port: dev.snmpPort, credentials, timeoutMs: Math.min(1000, timeoutMs), retries: 1 });
          try {
            return await s.get([SYS_NAME]);
          } finally {
            await s.close();
          }
        },
      };
    }
    if (kind === 'ipmi') {
      if (!dev.bmcAddress) throw new ValidationError(`Device ${dev.hostname} has no BMC address to test an IPMI credential against`, { deviceId: dev.id, field: 'bmcAddress' });
      bound(dev, 'ipmi', id, dev.bmcAddress, dev.bmcPort);
      const login = d.resolver.login(id);
      const extra = JSON.parse(d.repo.secret(id)) as { privilege?: string; cipherSuite?: string };
      const cipherSuite = extra.cipherSuite && extra.cipherSuite !== 'auto' ? Number(extra.cipherSuite) : 'auto';
      return {
        request: `IPMI Get Device ID on ${dev.bmcAddress}:${dev.bmcPort}`,
        run: async () => {
          const c = createIpmiClient({
            host: dev.bmcAddress!, port: dev.bmcPort, username: login.username, password: login.password ?? '', cipherSuite,
            ...(extra.privilege && PRIVILEGES[extra.privilege] ? { privilege: PRIVILEGES[extra.privilege] } : {}),
            timeoutMs: Math.min(1000, timeoutMs), retries: 1, keepAliveMs: 0,
          });
          try {
            return await c.deviceId();
          } finally {
            await c.close().catch(() => {});
          }
        },
      };
    }
    bound(dev, 'ssh', id, dev.mgmtIp, dev.sshPort);
    const login = d.resolver.login(id);
    return {
      request: `SSH exec true on ${dev.mgmtIp}:${dev.sshPort} as ${login.username}`,
      run: async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        try {
          const conn = await connectSsh({ host: dev.mgmtIp, port: dev.sshPort, credentialId: id }, { hostKeys: checkOnly, credentials: () => login, connectTimeoutMs: timeoutMs }, controller.signal);
          try {
            return await execOn(conn, 'true', { timeoutMs, check: true, signal: controller.signal });
          } finally {
            await conn.close().catch(() => {});
          }
        } finally {
          clearTimeout(timer);
        }
      },
    };
  };

  return async (id, deviceId) => {
    const dev = d.device(deviceId);
    if (!dev) throw new NotFoundError('device', deviceId);
    const { request, run } = plan(id, dev);
    const started = performance.now();
    try {
      await bounded(run(), timeoutMs + 500, request);
      return { ok: true, ms: Math.round(performance.now() - started), request, error: null };
    } catch (err) {
      return { ok: false, ms: Math.round(performance.now() - started), request, error: serializeError(err) };
    }
  };
}
