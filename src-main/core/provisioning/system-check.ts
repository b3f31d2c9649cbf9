// system.check (seed 000's "check system"): logs in to the device's OS over SSH and reports
// its release, kernel, hostname, disks and NICs (system-facts.ts). A host that does not
// answer SSH (refused, unreachable, handshake timeout) or has no SSH credential is "no OS
// answering" (the seed's 没有系统), which passes unless the step expects an installed OS.
// A changed host key, a refused login or an unbound credential are not "no OS": they fail
// the step with the reason. A read: idempotent.
import { z } from 'zod';
import { FleetDeckError } from '../../../src-shared/errors';
import { CredentialUnboundError } from '../credentials/credential-binding';
import { SshConnectError, SshHostKeyMismatchError, SshTimeoutError } from '../protocols/ssh';
import { tool } from '../workflows/tool';
import { abortable, deviceOf, named, why, type ProvisioningDeps } from './deps';
import { runOnDevice } from './ssh-access';
import { isPhysicalDisk, readSystemFacts, systemCheckCommand } from './system-facts';

const input = z.object({
  deviceId: z.string().min(1),
  /** any: report what is there; installed: an OS must answer; none: no OS may answer (a bare server). */
  expect: z.enum(['any', 'installed', 'none']).default('any'),
  /** With an OS answering: fail with fewer disks (type disk) or NICs (not loopback) than this, where they could be read. */
  minDisks: z.number().int().min(0).default(0),
  minNics: z.number().int().min(0).default(0),
  timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
});

const output = z.object({
  /** An OS answered SSH. */
  reachable: z.boolean(),
  /** Why not, when it did not ('refused', 'no SSH credential', ...); null when it did. */
  unreachableReason: z.string().nullable(),
  osId: z.string().nullable(),
  osVersion: z.string().nullable(),
  /** PRETTY_NAME, or "no OS answering". */
  os: z.string(),
  kernel: z.string().nullable(),
  hostname: z.string().nullable(),
  /** Whole disks (lsblk TYPE disk, not zram/loop/nbd); null where lsblk could not be read. */
  disks: z.number().int().nullable(),
  diskList: z.array(z.object({ name: z.string(), sizeBytes: z.number().nullable(), type: z.string(), model: z.string().nullable() })).nullable(),
  /** Network interfaces other than loopback; null where none of ip / sysfs answered. */
  nics: z.number().int().nullable(),
  nicList: z.array(z.object({ name: z.string(), mac: z.string().nullable(), state: z.string().nullable() })).nullable(),
  hostKeyFingerprint: z.string().nullable(),
  /** What could not be read, one line each. */
  missing: z.array(z.string()),
});

const NO_OS = 'no OS answering';

export function systemCheckTool(deps: ProvisioningDeps) {
  return tool({
    name: 'system.check',
    title: 'Check system',
    kind: 'sync',
    idempotent: true,
    input,
    output,
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      const silent = (reason: string) => {
        if (a.expect === 'installed') throw new FleetDeckError('UNAVAILABLE', `${named(dev)}: no OS answers (${reason}); this step expects an installed OS`, { deviceId: dev.id, reason });
        ctx.log(`${named(dev)}: ${NO_OS} (${reason})`);
        return {
          status: 'done' as const,
          output: {
            reachable: false, unreachableReason: reason, osId: null, osVersion: null, os: NO_OS, kernel: null, hostname: null,
            disks: null, diskList: null, nics: null, nicList: null, hostKeyFingerprint: null, missing: [],
          },
        };
      };
      if (!dev.sshCredential) return silent('no SSH credential in the inventory');
      ctx.log(`checking ${named(dev)} over SSH at ${dev.mgmtIp}:${dev.sshPort}`);
      let r;
      try {
        r = await abortable(runOnDevice(deps, dev, systemCheckCommand(), { timeoutMs: a.timeoutMs, signal: ctx.signal }), ctx.signal);
      } catch (err) {
        if (err instanceof SshConnectError) return silent(err.reason);
        if (err instanceof SshTimeoutError && err.command === null) return silent(`the SSH handshake did not finish within ${err.timeoutMs} ms`);
        if (err instanceof SshHostKeyMismatchError) {
          throw new FleetDeckError('CONFLICT', `${named(dev)} presents another SSH host key than the one pinned (pinned ${err.expected}, offered ${err.actual}): reinstalled outside this flow, or not the same host; accept it only if it was reinstalled (ssh.acceptNewHostKey or the device page)`, { deviceId: dev.id, expected: err.expected, actual: err.actual });
        }
        if (err instanceof CredentialUnboundError) throw err;
        throw new FleetDeckError('UNAVAILABLE', `${named(dev)}: the system check over SSH failed: ${why(err)}`, { deviceId: dev.id }, { cause: err });
      }
      const f = readSystemFacts(r.stdout);
      if (!f.os && !f.kernel && !f.hostname) {
        throw new FleetDeckError('UNAVAILABLE', `${named(dev)} answered SSH but none of os-release, uname or hostname (exit ${r.exitCode ?? r.signal}; stderr: ${r.stderr.trim().slice(0, 200) || 'empty'})`, { deviceId: dev.id });
      }
      const os = f.os?.prettyName ?? (f.os ? `${f.os.id} ${f.os.versionId ?? ''}`.trim() : 'unknown OS');
      const physical = f.disks?.filter(isPhysicalDisk) ?? [];
      const disks = f.disks ? physical.length : null;
      const nics = f.nics ? f.nics.filter((n) => !n.loopback).length : null;
      const diskWords = f.disks ? `${disks} disk(s)${physical.map((d) => ` ${d.name}${d.sizeBytes ? ` ${Math.round(d.sizeBytes / 1e9)} GB` : ''}`).join(',')}` : 'disks unknown';
      const nicWords = f.nics ? `${nics} NIC(s) ${f.nics.filter((n) => !n.loopback).map((n) => n.name).join(', ')}` : 'NICs unknown';
      ctx.log(`${named(dev)}: ${os}, kernel ${f.kernel ?? '?'}, hostname ${f.hostname ?? '?'}, ${diskWords}, ${nicWords}`);
      for (const m of f.missing) ctx.log(`${named(dev)}: could not read ${m}`, 'warn');
      if (a.expect === 'none') throw new FleetDeckError('CONFLICT', `${named(dev)} already runs ${os}; this step expects a server with no OS`, { deviceId: dev.id, os });
      if (disks !== null && disks < a.minDisks) throw new FleetDeckError('CONFLICT', `${named(dev)} has ${disks} disk(s), fewer than the ${a.minDisks} this step needs`, { deviceId: dev.id, disks });
      if (nics !== null && nics < a.minNics) throw new FleetDeckError('CONFLICT', `${named(dev)} has ${nics} NIC(s), fewer than the ${a.minNics} this step needs`, { deviceId: dev.id, nics });
      return {
        status: 'done' as const,
        output: {
          reachable: true, unreachableReason: null, osId: f.os?.id ?? null, osVersion: f.os?.versionId ?? null, os,
          kernel: f.kernel, hostname: f.hostname, disks,
          diskList: f.disks?.map((d) => ({ name: d.name, sizeBytes: d.sizeBytes, type: d.type, model: d.model })) ?? null,
          nics, nicList: f.nics?.map((n) => ({ name: n.name, mac: n.mac, state: n.state })) ?? null,
          hostKeyFingerprint: r.fingerprint, missing: f.missing,
        },
      };
    },
  });
}
