// os.install (seed 000's "install OS"), a callback step that also polls. Its first call stages
// the install on the PXE server (deps.pxe: the lab's, or a real fleet's through a hook), sets
// the BMC's next boot to PXE (Chassis Set System Boot Options, parameter 5, one-time) and
// power-cycles the server (powers it on when it is off). It finishes on the installer's call
// to the step's one-time URL with {sn, hostname, os, status}, or on a poll check that finds
// the new OS over SSH: /etc/os-release is the template's release and the host has the new
// hostname, after SSH went quiet or the host key changed. The changed host key is never
// taken silently: with acceptNewHostKey the check pins it (audited, both fingerprints
// logged); without, the check waits for the callback and ssh.acceptNewHostKey accepts it.
// The installer's report is judged by onCallback: status 'failed' fails the step at once,
// naming the report (the URL answers 200: the report was heard; the failure is journaled
// with the call, so it survives a restart); any other body is the output, parsed by the
// output schema (a misfit is refused, 400, and the step waits on). Not idempotent: running
// it again power-cycles again.
// A lost install (the PXE server forgot the profile, the installer died without calling back,
// the host booted from its disk) fails the attempt promptly instead of waiting for the
// deadline: before the power cycle the first call reads the running OS over SSH (its
// os-release and the host key the connection matched); a later check that finds that same
// release with that same host key means the host booted back into its old OS, and the
// attempt fails "<host> booted back into <release>: the install did not take" (UNAVAILABLE,
// so the step's automatic retry and timeout rules apply; the staged install is taken back).
// Not in the window between the power-cycle command and the host really going down, where the
// old OS still answers: the rule is armed only once SSH has been seen down since the power
// cycle, or, for a host never seen down (a reboot shorter than the poll interval, a cycle that
// did not happen), once oldOsGraceMs (default 10 minutes) have passed since it. And it is
// confirmed by a second check at least 2 s after the first sighting, so an installer that
// reports 'failed' as the old OS comes back (the lab's install-fail) is heard first and named.
// Nothing is compared when the old OS could not be read before the cycle (the host was off,
// SSH did not answer) or without the SSH check: the deadline applies as before.
import { z } from 'zod';
import type { Device } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';
import { CredentialUnboundError } from '../credentials/credential-binding';
import { isRfc1123Hostname } from '../inventory/hostname';
import { SshConnectError, SshHostKeyMismatchError, SshTimeoutError } from '../protocols/ssh';
import { tool, type ToolContext } from '../workflows/tool';
import { abortable, deviceOf, named, why, type ProvisioningDeps } from './deps';
import { acceptHostKey, runOnDevice, sshEndpoint } from './ssh-access';
import { expectedRelease, parseOsRelease, releaseMatches, type OsRelease } from './system-facts';

const input = z.object({
  deviceId: z.string().min(1),
  /** The OS template the PXE server installs ("ubuntu-24.04", the seed's 北京Centos6). */
  os: z.string().min(1).max(200),
  /** The hostname the installed host gets (a run of one host: the seed's "hostname after install"). */
  hostname: z.string().optional(),
  /** Several hosts: each one's hostname by SN or device id (wins over hostname). */
  hostnames: z.record(z.string(), z.string()).optional(),
  /** The lab's simulated install time (a real PXE server ignores it). */
  durationMs: z.number().min(0).max(6 * 3_600_000).default(60_000),
  /** Poll SSH for the new OS (besides waiting for the callback). */
  sshCheck: z.boolean().default(true),
  /** Let the SSH check pin the host's new key itself (audited); otherwise the check waits for the callback. */
  acceptNewHostKey: z.boolean().default(false),
  /** A host never seen down that answers with its old OS and key this long after the power cycle has booted back into it. */
  oldOsGraceMs: z.number().min(0).max(6 * 3_600_000).default(600_000),
});

type Input = z.output<typeof input>;

interface InstallState {
  readonly startedAt: number;
  /** The hostname the install gives (resolved for this host). */
  readonly hostname: string;
  /** SSH was refused or timed out at least once since the power cycle: the host went down. */
  sawDown: boolean;
  /** The new host key the check saw and did not accept (waiting for the callback). */
  newKey: string | null;
  /** Log lines already written once ("quiet", "old system"...). */
  said: string[];
  /** The OS the host ran before the install, read over SSH just before the power cycle; null (or absent in older journals): not read. */
  readonly before?: OsBefore | null;
  /** When the power cycle (or power on) was sent. */
  readonly cycledAt?: number;
  /** When a check first found the old OS back; null: the last check did not. */
  oldSince?: number | null;
}

interface OsBefore {
  readonly id: string;
  readonly versionId: string | null;
  readonly prettyName: string | null;
  /** "SHA256:..." of the host key the connection matched. */
  readonly fingerprint: string;
}

/** A sighting of the old OS is confirmed by a check at least this long after the first. */
const OLD_OS_CONFIRM_MS = 2000;
const OS_COMMAND = 'cat /etc/os-release; echo @@fleetdeck:hostname; hostname';

const releaseName = (os: { id: string; versionId: string | null; prettyName: string | null }): string => os.prettyName ?? `${os.id}${os.versionId ? ` ${os.versionId}` : ''}`;

/** This host's new hostname: hostnames[SN], hostnames[device id], else hostname; VALIDATION when none fits. */
export function hostnameFor(a: { hostname?: string; hostnames?: Record<string, string> }, dev: { id: string; sn: string; hostname: string }): string {
  const name = a.hostnames?.[dev.sn] ?? a.hostnames?.[dev.id] ?? a.hostname;
  if (name === undefined || name === '') {
    throw new FleetDeckError('VALIDATION', `no hostname for ${dev.hostname} (SN ${dev.sn}): give hostname (one host) or hostnames {SN or device id: hostname}`, { field: 'hostname', deviceId: dev.id, sn: dev.sn });
  }
  if (!isRfc1123Hostname(name)) throw new FleetDeckError('VALIDATION', `"${name}" (for SN ${dev.sn}) is not a valid host name (RFC 1123)`, { field: 'hostname', deviceId: dev.id });
  return name;
}

const output = z.object({
  sn: z.string(),
  hostname: z.string(),
  os: z.string(),
  /** A report of a failed install never gets here: onCallback fails the step with it. */
  status: z.literal('installed'),
  /** How the step learnt it: the installer's callback (absent) or the SSH check. */
  via: z.enum(['callback', 'ssh']).optional(),
});

/** An installer's report of a failed install: a JSON object whose status is 'failed' (the rest is read leniently). */
function isFailedReport(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'failed';
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

export function osInstallTool(deps: ProvisioningDeps) {
  const now = deps.now ?? Date.now;

  return tool({
    name: 'os.install',
    title: 'Install OS',
    kind: 'callback',
    idempotent: false,
    input,
    output,
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      if (ctx.check === 0) return { status: 'pending' as const, state: await start(ctx, a) };
      const st = ctx.pollState as InstallState;
      if (!a.sshCheck || !dev.sshCredential) return { status: 'pending' as const, state: st };
      const done = await sshCheck(ctx, a, st);
      return done ? { status: 'done' as const, output: { sn: dev.sn, hostname: st.hostname, os: a.os, status: 'installed' as const, via: 'ssh' as const } } : { status: 'pending' as const, state: st };
    },
    onCallback(ctx, body, a) {
      if (!isFailedReport(body)) return { status: 'done' as const, output: body as z.output<typeof output> };
      const dev = deps.device(a.deviceId) ?? { id: a.deviceId, hostname: ctx.host?.hostname ?? a.deviceId, sn: ctx.host?.sn ?? '' };
      const os = text(body.os) ?? a.os;
      const hostname = text(body.hostname) ?? (ctx.pollState as InstallState | null)?.hostname ?? '?';
      const said = text(body.reason) ?? text(body.message) ?? text(body.error);
      throw new FleetDeckError('UNAVAILABLE', `the installer reports the install of ${os} on ${named(dev)} (SN ${dev.sn}) failed (hostname ${hostname})${said ? `: ${said.slice(0, 500)}` : ''}`, { deviceId: dev.id, sn: dev.sn, os });
    },
  });

  async function start(ctx: ToolContext, a: Input): Promise<InstallState> {
    const dev = deviceOf(deps, a.deviceId);
    if (!deps.pxe) throw new FleetDeckError('UNAVAILABLE', `no PXE server is configured for this fleet (serve's --pxe-hook, the core's workflows.pxeHook): FleetDeck cannot stage the install of ${a.os} on ${named(dev)}`, { deviceId: dev.id, reason: 'no-pxe' });
    if (!dev.bmcAddress || !dev.ipmiCredential) throw new FleetDeckError('UNAVAILABLE', `${named(dev)} has no BMC the console can reach: it cannot be booted from PXE`, { deviceId: dev.id });
    const hostname = hostnameFor(a, dev);
    const startedAt = now();
    await abortable(deps.pxe.stage({ deviceId: dev.id, sn: dev.sn, os: a.os, hostname, durationMs: Math.round(a.durationMs), callbackUrl: ctx.callbackUrl }), ctx.signal);
    // The URL is a bearer secret: it never goes into the log.
    ctx.log(`install of ${a.os} as ${hostname} staged on the PXE server for ${named(dev)} (SN ${dev.sn}); ${ctx.callbackUrl ? "the installer reports to this step's one-time URL" : 'no callback URL on this console: the SSH check finishes the step'}`);
    let before: OsBefore | null = null;
    let cycledAt: number;
    try {
      await abortable(deps.bmc.bootDevice(dev.id, 'pxe', false), ctx.signal);
      ctx.log(`${named(dev)}: next boot from PXE (one-time boot override)`);
      const info = await abortable(deps.bmc.info(dev.id), ctx.signal);
      if (info.power === 'on' && a.sshCheck && dev.sshCredential) before = await osBefore(ctx, dev);
      const action = info.power === 'on' ? 'cycle' : 'on';
      cycledAt = now();
      const r = await abortable(deps.bmc.power(dev.id, action, dev.hostname), ctx.signal);
      ctx.log(`${named(dev)}: power ${action} (was ${info.power}, now ${r.power}): booting the installer`);
    } catch (err) {
      await deps.pxe.unstage?.(dev.id).catch(() => {});
      throw new FleetDeckError('UNAVAILABLE', `${named(dev)}: could not boot it from PXE: ${why(err)}; the staged install was taken back`, { deviceId: dev.id }, { cause: err });
    }
    return { startedAt, hostname, sawDown: false, newKey: null, said: [], before, cycledAt, oldSince: null };
  }

  /** The OS running before the install and its host key; null (logged) when SSH does not tell. Only an abort is thrown. */
  async function osBefore(ctx: ToolContext, dev: Device): Promise<OsBefore | null> {
    try {
      const r = await runOnDevice(deps, dev, OS_COMMAND, { timeoutMs: 10_000, signal: ctx.signal });
      const os = parseOsRelease(r.stdout.split('@@fleetdeck:hostname')[0] ?? '');
      if (!os) throw new Error('/etc/os-release has no ID');
      ctx.log(`${named(dev)} runs ${releaseName(os)} before the install (SSH host key ${r.fingerprint}): a check that finds it back fails the install`);
      return { id: os.id, versionId: os.versionId, prettyName: os.prettyName, fingerprint: r.fingerprint };
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      ctx.log(`${named(dev)}: the OS before the install could not be read (${why(err)}): a host that boots back into it is not told apart, the deadline applies`, 'warn');
      return null;
    } finally {
      // The cycle cuts this connection; the checks after it dial afresh.
      const at = sshEndpoint(dev);
      await deps.ssh.pool.closeHost(at.host, at.port).catch(() => {});
    }
  }

  /** Whether a check's answer is the OS from before the install (armed only once the host went down, or past the grace). */
  function bootedBack(a: Input, st: InstallState, os: OsRelease | null, fingerprint: string): boolean {
    const b = st.before;
    if (!b || !os || fingerprint !== b.fingerprint || os.id !== b.id || os.versionId !== b.versionId || os.prettyName !== b.prettyName) return false;
    return st.sawDown || (st.cycledAt !== undefined && now() - st.cycledAt >= a.oldOsGraceMs);
  }

  /** One SSH look at the host; true when it runs the new OS under the new hostname. */
  async function sshCheck(ctx: ToolContext, a: Input, st: InstallState): Promise<boolean> {
    const dev = deviceOf(deps, a.deviceId);
    const once = (key: string, line: string, level: 'info' | 'warn' = 'info'): void => {
      if (st.said.includes(key)) return;
      st.said.push(key);
      ctx.log(line, level);
    };
    const want = expectedRelease(a.os);
    if (!want) {
      once('no-release', `the template name "${a.os}" does not say which release /etc/os-release will report: the installer's callback finishes this step`);
      // Still worth a look when the old OS is known: a host back on it fails the install.
      if (!st.before) return false;
    }
    let out: string;
    let fingerprint: string;
    try {
      const r = await runOnDevice(deps, dev, OS_COMMAND, { timeoutMs: 10_000, signal: ctx.signal });
      out = r.stdout;
      fingerprint = r.fingerprint;
    } catch (err) {
      st.oldSince = null;
      if (err instanceof SshConnectError || (err instanceof SshTimeoutError && err.command === null)) {
        st.sawDown = true;
        once('quiet', `${named(dev)}: SSH is quiet (${err instanceof SshConnectError ? err.reason : 'handshake timeout'}): installing`);
        return false;
      }
      if (err instanceof SshHostKeyMismatchError) {
        if (!a.acceptNewHostKey) {
          st.newKey = err.actual;
          once('new-key', `${named(dev)} is back with a new SSH host key (pinned ${err.expected}, offered ${err.actual}): the install looks done; waiting for the installer's callback (ssh.acceptNewHostKey accepts the key)`);
          return false;
        }
        const k = await acceptHostKey(deps, dev, ctx);
        st.newKey = null;
        st.sawDown ||= k.changed;
        // Once: a host that offers yet another key on the next connection is refused, not re-pinned.
        return sshCheck(ctx, { ...a, acceptNewHostKey: false }, st);
      }
      if (err instanceof CredentialUnboundError || ctx.signal.aborted) throw err;
      once(`err:${why(err)}`, `${named(dev)}: the SSH check failed: ${why(err)}; waiting`, 'warn');
      return false;
    }
    const [release, host] = out.split('@@fleetdeck:hostname');
    const os = parseOsRelease(release ?? '');
    const hostname = (host ?? '').trim().split('\n')[0]?.trim() ?? '';
    if (want && releaseMatches(os, want) && hostname === st.hostname && st.sawDown) {
      ctx.log(`${named(dev)} runs ${os?.prettyName ?? a.os} as ${hostname} (seen over SSH)`);
      return true;
    }
    if (os && bootedBack(a, st, os, fingerprint)) {
      const at = now();
      const how = st.sawDown ? 'after it went down' : `${Math.round((at - (st.cycledAt ?? at)) / 1000)} s after the power cycle, never seen down`;
      if (st.oldSince === null || st.oldSince === undefined) {
        st.oldSince = at;
        ctx.log(`${named(dev)} answers SSH as ${hostname || '?'} running ${releaseName(os)} with the host key it had before the install (${how}): the install looks lost; a later check confirms it`, 'warn');
        return false;
      }
      if (at - st.oldSince < OLD_OS_CONFIRM_MS) return false;
      await deps.pxe?.unstage?.(dev.id).catch(() => {});
      throw new FleetDeckError('UNAVAILABLE', `${named(dev)} (SN ${dev.sn}) booted back into ${releaseName(os)}: the install did not take (the same OS release and SSH host key as before the install of ${a.os}, ${how}; the staged install was taken back)`, {
        deviceId: dev.id, sn: dev.sn, os: a.os, booted: releaseName(os), reason: 'booted-back',
      });
    }
    st.oldSince = null;
    once(`old:${os?.prettyName}:${hostname}`, `${named(dev)} answers SSH as ${hostname || '?'} running ${os?.prettyName ?? 'an unknown OS'}: not the new system yet`);
    return false;
  }
}
