// bmc.status (seed 000's "BMC status check") and bmc.power, over the console's BMC service
// (device-control: one RMCP+ session per BMC, the IPMI credential's binding checked first,
// control actions recorded as events). bmc.status reads chassis power, sensors and the SEL
// and counts SEL errors (sel-severity.ts); a BMC that does not answer fails the step (the
// step's retry policy applies) unless allowUnreachable. bmc.power sets the chassis power to
// a state (on, off, soft): setting it again does no harm, so both tools are idempotent.
import { z } from 'zod';
import type { BmcInfo } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';
import { IpmiTimeoutError } from '../protocols/ipmi';
import { tool } from '../workflows/tool';
import { abortable, deviceOf, named, type ProvisioningDeps } from './deps';
import { selLine, summarizeSel } from './sel-severity';

const statusInput = z.object({
  deviceId: z.string().min(1),
  /** Fail unless the chassis power is this. */
  expectPower: z.enum(['on', 'off', 'any']).default('any'),
  /** Fail when the SEL holds more critical entries than this; null: report them only. */
  maxSelCritical: z.number().min(0).nullable().default(null),
  /** A BMC that does not answer is reported (reachable false) instead of failing the step. */
  allowUnreachable: z.boolean().default(false),
});

const selEntry = z.object({ id: z.number().int(), at: z.number().nullable(), sensor: z.string(), event: z.string() });

const statusOutput = z.object({
  reachable: z.boolean(),
  /** 'unknown' only when the BMC did not answer (allowUnreachable). */
  power: z.enum(['on', 'off', 'unknown']),
  /** SEL entries that are warnings or critical (assertions). */
  selErrors: z.number().int(),
  selCritical: z.number().int(),
  selEntries: z.number().int(),
  /** The critical SEL entries, newest first (up to 20). */
  critical: z.array(selEntry),
  /** Sensors the BMC reports in a critical / warning state now. */
  sensorsCritical: z.array(z.string()),
  sensorsWarning: z.array(z.string()),
  bmc: z.string(),
});

export type BmcStatusOutput = z.output<typeof statusOutput>;

/** "127.116.0.3:623" */
const bmcAt = (dev: { bmcAddress: string | null; bmcPort: number }): string => `${dev.bmcAddress ?? '(none)'}:${dev.bmcPort}`;

/** What bmc.status reports from one BMC read. */
export function bmcStatusOf(info: BmcInfo, bmc: string): BmcStatusOutput {
  const sel = summarizeSel(info.sel);
  return {
    reachable: true, power: info.power, selErrors: sel.errors, selCritical: sel.critical, selEntries: info.sel.length, critical: sel.criticalEntries,
    sensorsCritical: info.sensors.filter((s) => s.status === 'critical').map((s) => s.name),
    sensorsWarning: info.sensors.filter((s) => s.status === 'warning').map((s) => s.name),
    bmc,
  };
}

export function bmcStatusTool(deps: ProvisioningDeps) {
  return tool({
    name: 'bmc.status',
    title: 'BMC status check',
    kind: 'sync',
    idempotent: true,
    input: statusInput,
    output: statusOutput,
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      const at = bmcAt(dev);
      ctx.log(`reading the BMC of ${named(dev)} at ${at}`);
      let info: BmcInfo;
      try {
        info = await abortable(deps.bmc.info(dev.id), ctx.signal);
      } catch (err) {
        if (!(err instanceof IpmiTimeoutError)) throw err;
        if (!a.allowUnreachable) throw new FleetDeckError('UNAVAILABLE', `the BMC of ${named(dev)} at ${at} does not answer IPMI: ${err.message}`, { deviceId: dev.id, bmc: at }, { cause: err });
        ctx.log(`the BMC of ${named(dev)} at ${at} does not answer IPMI (${err.message})`, 'warn');
        return {
          status: 'done' as const,
          output: { reachable: false, power: 'unknown' as const, selErrors: 0, selCritical: 0, selEntries: 0, critical: [], sensorsCritical: [], sensorsWarning: [], bmc: at },
        };
      }
      const s = bmcStatusOf(info, at);
      ctx.log(`${named(dev)}: power ${s.power}, SEL ${s.selEntries} entries (${s.selErrors} errors, ${s.selCritical} critical), sensors ${s.sensorsCritical.length} critical, ${s.sensorsWarning.length} warning`);
      for (const e of s.critical.slice(0, 5)) ctx.log(`${named(dev)}: SEL ${selLine(e)}`, 'warn');
      if (s.sensorsCritical.length) ctx.log(`${named(dev)}: critical sensors now: ${s.sensorsCritical.join(', ')}`, 'warn');
      if (a.expectPower !== 'any' && s.power !== a.expectPower) {
        throw new FleetDeckError('CONFLICT', `${named(dev)} is powered ${s.power}; this step expects it ${a.expectPower}`, { deviceId: dev.id, power: s.power });
      }
      if (a.maxSelCritical !== null && s.selCritical > a.maxSelCritical) {
        const first = s.critical[0];
        throw new FleetDeckError('CONFLICT', `${named(dev)}: the SEL holds ${s.selCritical} critical entr${s.selCritical === 1 ? 'y' : 'ies'} (at most ${a.maxSelCritical} allowed), newest ${first ? selLine(first) : '?'}`, { deviceId: dev.id, selCritical: s.selCritical });
      }
      return { status: 'done' as const, output: s };
    },
  });
}

const powerInput = z.object({
  deviceId: z.string().min(1),
  /** on, off (hard), soft (ACPI shutdown request: the OS powers off in its own time). */
  action: z.enum(['on', 'off', 'soft']),
});

export function bmcPowerTool(deps: ProvisioningDeps) {
  return tool({
    name: 'bmc.power',
    title: 'Chassis power',
    kind: 'sync',
    idempotent: true,
    input: powerInput,
    output: z.object({ power: z.enum(['on', 'off']) }),
    async run(ctx, a) {
      const dev = deviceOf(deps, a.deviceId);
      ctx.log(`power ${a.action} ${named(dev)} through its BMC at ${bmcAt(dev)}`);
      // The BMC service wants the host named: the step names the device it acts on.
      const r = await abortable(deps.bmc.power(dev.id, a.action, dev.hostname), ctx.signal);
      ctx.log(`${named(dev)}: chassis power now ${r.power}${a.action === 'soft' && r.power === 'on' ? ' (a soft off lets the OS shut down first)' : ''}`);
      return { status: 'done' as const, output: { power: r.power } };
    },
  });
}
