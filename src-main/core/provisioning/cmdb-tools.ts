// cmdb.check and cmdb.set (seed 000's "check / change CMDB status"): the device lifecycle in
// the inventory. cmdb.check fails unless the device is in one of the expected states.
// cmdb.set moves it (compare-and-set on expectedFrom: someone else's move in between is a
// CONFLICT naming the state found) and, with a hostname, renames it in the same transaction:
// the server-online flow writes the hostname the installed host reports. Both are audited
// under the run's actor, refusals too. A device already in the target state (with that
// hostname) is left alone and reported unchanged, so re-running an interrupted attempt does
// no harm: idempotent.
import { z } from 'zod';
import { FleetDeckError } from '../../../src-shared/errors';
import { isRfc1123Hostname } from '../inventory/hostname';
import { tool } from '../workflows/tool';
import { CMDB_STATES, deviceOf, named, why, type ProvisioningDeps } from './deps';

const state = z.enum(CMDB_STATES);

export function cmdbCheckTool(deps: ProvisioningDeps) {
  return tool({
    name: 'cmdb.check',
    title: 'Check CMDB status',
    kind: 'sync',
    idempotent: true,
    input: z.object({
      deviceId: z.string().min(1),
      expect: z.array(state).min(1),
      /** The SN the request names (the seed's 申请机器SN); '' : not checked. */
      expectSn: z.string().default(''),
    }),
    output: z.object({ lifecycle: state, hostname: z.string() }),
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      const now = deps.cmdb.lifecycle(dev.id);
      if (now === null) throw new FleetDeckError('NOT_FOUND', `device ${dev.id} is no longer in the inventory`, { deviceId: dev.id });
      if (a.expectSn && a.expectSn !== dev.sn) {
        throw new FleetDeckError('CONFLICT', `${named(dev)} has SN ${dev.sn}, not ${a.expectSn} as the request says`, { deviceId: dev.id, sn: dev.sn, expectedSn: a.expectSn });
      }
      if (!a.expect.includes(now)) {
        throw new FleetDeckError('CONFLICT', `${named(dev)} is ${now} in the CMDB; this step expects ${a.expect.join(' or ')}`, { deviceId: dev.id, lifecycle: now, expected: a.expect });
      }
      ctx.log(`${named(dev)} is ${now} in the CMDB (expected ${a.expect.join(' or ')})`);
      return { status: 'done' as const, output: { lifecycle: now, hostname: dev.hostname } };
    },
  });
}

const setInput = z.object({
  deviceId: z.string().min(1),
  to: state,
  /** Compare-and-set: the device must be in this state now. */
  expectedFrom: state.optional(),
  /** The name the device gets in the inventory (the installed host's hostname). */
  hostname: z.string().refine(isRfc1123Hostname, 'not a valid host name (RFC 1123)').optional(),
});

export function cmdbSetTool(deps: ProvisioningDeps) {
  return tool({
    name: 'cmdb.set',
    title: 'Change CMDB status',
    kind: 'sync',
    idempotent: true,
    input: setInput,
    output: z.object({ from: state, to: state, changed: z.boolean(), hostname: z.string(), hostnameBefore: z.string() }),
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      const target = `${dev.hostname} (${dev.id})`;
      const rename = a.hostname !== undefined && a.hostname !== dev.hostname ? `; hostname ${dev.hostname} -> ${a.hostname}` : '';
      const where = `workflow run ${ctx.runId}, step ${ctx.stepId}`;
      const current = deps.cmdb.lifecycle(dev.id);
      if (current === a.to && !rename) {
        ctx.log(`${named(dev)} is already ${a.to} in the CMDB${a.hostname ? ` as ${a.hostname}` : ''}: nothing to change`);
        return { status: 'done' as const, output: { from: a.to, to: a.to, changed: false, hostname: dev.hostname, hostnameBefore: dev.hostname } };
      }
      let r;
      try {
        r = deps.cmdb.move({ deviceId: dev.id, to: a.to, expectedFrom: current === a.to ? undefined : a.expectedFrom, hostname: a.hostname, actor: ctx.actor });
      } catch (err) {
        deps.audit({ actor: ctx.actor, role: ctx.role, action: 'cmdb.set', target, outcome: 'failed', detail: `to ${a.to}${a.expectedFrom ? ` from ${a.expectedFrom}` : ''}${rename}: ${why(err)} (${where})` });
        throw err;
      }
      const hostname = a.hostname ?? dev.hostname;
      deps.audit({ actor: ctx.actor, role: ctx.role, action: 'cmdb.set', target, outcome: 'succeeded', detail: `${r.from} -> ${a.to}${rename} (${where})` });
      ctx.log(`${named(dev)}: CMDB status ${r.from} -> ${a.to}${rename}`);
      return { status: 'done' as const, output: { from: r.from, to: a.to, changed: r.changed, hostname, hostnameBefore: r.hostnameBefore } };
    },
  });
}
