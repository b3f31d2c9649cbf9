// ssh.acceptNewHostKey: after a reinstall the host presents a new SSH host key, which the
// console's pinning refuses. This step accepts it explicitly: the new key is pinned in the
// old one's place (ssh-access.ts: audited and logged with both fingerprints), then the host
// must prove it is the one installed: it answers as the expected hostname (and release, when
// the template names one), else the old key is pinned again (audited as refused) and the
// step fails. It reports what the host says, so the CMDB gets the hostname the host reports.
// Running it again finds the key already pinned and only re-reads: idempotent.
import { z } from 'zod';
import { FleetDeckError } from '../../../src-shared/errors';
import { isRfc1123Hostname } from '../inventory/hostname';
import { tool } from '../workflows/tool';
import { abortable, deviceOf, named, type ProvisioningDeps } from './deps';
import { acceptHostKey, restoreHostKey, runOnDevice } from './ssh-access';
import { expectedRelease, parseOsRelease, releaseMatches } from './system-facts';

const input = z.object({
  deviceId: z.string().min(1),
  /** The hostname the installed host must report (the install's); absent: not checked. */
  expectHostname: z.string().refine(isRfc1123Hostname, 'not a valid host name (RFC 1123)').optional(),
  /** The OS template installed ("rocky-9"); its release must be in /etc/os-release when the name says one. */
  expectOs: z.string().max(200).optional(),
  /** Fail when the key did not change (a reinstall that kept its key is then a question for an operator). */
  requireChange: z.boolean().default(false),
});

const output = z.object({
  changed: z.boolean(),
  oldFingerprint: z.string().nullable(),
  newFingerprint: z.string(),
  /** What the host reports now. */
  hostname: z.string(),
  osId: z.string().nullable(),
  osVersion: z.string().nullable(),
  os: z.string().nullable(),
});

export function hostKeyTool(deps: ProvisioningDeps) {
  return tool({
    name: 'ssh.acceptNewHostKey',
    title: 'Accept the new SSH host key',
    kind: 'sync',
    idempotent: true,
    input,
    output,
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      const k = await abortable(acceptHostKey(deps, dev, ctx), ctx.signal);
      if (a.requireChange && !k.changed) {
        throw new FleetDeckError('CONFLICT', `${named(dev)} still presents its old SSH host key ${k.newFingerprint}: the reinstall did not change it`, { deviceId: dev.id, fingerprint: k.newFingerprint });
      }
      let hostname = '';
      let release = null;
      try {
        const r = await abortable(runOnDevice(deps, dev, 'cat /etc/os-release; echo @@fleetdeck:hostname; hostname', { timeoutMs: 10_000, signal: ctx.signal }), ctx.signal);
        const [osText, hostText] = r.stdout.split('@@fleetdeck:hostname');
        release = parseOsRelease(osText ?? '');
        hostname = (hostText ?? '').trim().split('\n')[0]?.trim() ?? '';
      } catch (err) {
        if (k.changed) await restoreHostKey(deps, dev, k, ctx, `the host could not be read after the key was accepted: ${(err as Error).message}`);
        throw err;
      }
      const want = a.expectOs ? expectedRelease(a.expectOs) : null;
      const problem = a.expectHostname && hostname !== a.expectHostname
        ? `the host reports hostname "${hostname || '?'}", not "${a.expectHostname}"`
        : want && !releaseMatches(release, want) ? `the host runs ${release?.prettyName ?? 'an unknown OS'}, not ${a.expectOs}` : null;
      if (problem) {
        if (k.changed) await restoreHostKey(deps, dev, k, ctx, problem);
        throw new FleetDeckError('CONFLICT', `${named(dev)}: ${problem}: not the host that was installed?`, { deviceId: dev.id, hostname, expected: a.expectHostname ?? null });
      }
      ctx.log(`${named(dev)} answers as ${hostname} running ${release?.prettyName ?? 'an unknown OS'} with SSH host key ${k.newFingerprint}`);
      return {
        status: 'done' as const,
        output: { ...k, hostname, osId: release?.id ?? null, osVersion: release?.versionId ?? null, os: release?.prettyName ?? null },
      };
    },
  });
}
