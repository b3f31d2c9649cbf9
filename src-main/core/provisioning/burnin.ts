// burnin.run (the arrival stress test), a poll step: its first call notes the BMC's newest SEL
// record and starts a CPU load on the host over SSH for `minutes` (stress-ng when installed,
// else one busy loop per CPU, each under `timeout`, so the load ends by itself even if the step
// is revoked); every check reads the BMC and fails the step when a temperature passes its
// limit or the SEL gains more critical entries than allowed (the load is stopped first, by
// its process group id). Once the time is up the load is stopped and the peaks reported. A
// host that cannot run the load (the lab's hosts have no shell to run one) fails the step
// when requireLoad, else is watched without load, said in the log and the output. Three BMC
// reads failing in a row fail it too. Not idempotent: a second call starts a second load.
import { z } from 'zod';
import type { BmcInfo } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';
import { tool, type ToolContext } from '../workflows/tool';
import { abortable, deviceOf, named, why, type ProvisioningDeps } from './deps';
import { selLine, summarizeSel } from './sel-severity';
import { runOnDevice } from './ssh-access';

const TEMPERATURE = 0x01;
const INLET = /inlet|ambient|intake/i;

/** Starts the load in its own session (setsid) in the background and prints its pid (= its process group). */
export function loadCommand(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const busy = `n=$(nproc); i=0; while [ "$i" -lt "$n" ]; do timeout ${s} sh -c "while :; do :; done" & i=$((i+1)); done; wait`;
  return `setsid sh -c 'if command -v stress-ng >/dev/null 2>&1; then exec stress-ng --cpu 0 --timeout ${s}s --quiet; fi; ${busy}' >/dev/null 2>&1 </dev/null & echo $!`;
}

const input = z.object({
  deviceId: z.string().min(1),
  minutes: z.number().positive().max(7 * 24 * 60),
  /** Any temperature sensor but inlet/ambient at or above this fails the step. */
  maxTempC: z.number().default(90),
  maxInletTempC: z.number().default(40),
  /** New critical SEL entries allowed during the run. */
  maxNewSelCritical: z.number().min(0).default(0),
  requireLoad: z.boolean().default(false),
  /** Replaces the load: a command line that starts it in the background and prints its pid; {seconds} is replaced. */
  loadCommand: z.string().min(1).max(2000).optional(),
});

const output = z.object({
  minutes: z.number(),
  loadStarted: z.boolean(),
  peakTempC: z.number().nullable(),
  peakInletTempC: z.number().nullable(),
  peaks: z.array(z.object({ sensor: z.string(), celsius: z.number() })),
  newSelErrors: z.number().int(),
  newSelCritical: z.number().int(),
  checks: z.number().int(),
});

interface BurnState {
  readonly startedAt: number;
  readonly endAt: number;
  readonly baselineSel: number;
  readonly loadPid: number | null;
  peaks: Record<string, number>;
  failedReads: number;
}

export function burninTool(deps: ProvisioningDeps) {
  const now = deps.now ?? Date.now;

  async function stopLoad(ctx: ToolContext, deviceId: string, st: BurnState): Promise<void> {
    if (st.loadPid === null) return;
    const dev = deviceOf(deps, deviceId);
    try {
      await runOnDevice(deps, dev, `kill -TERM -- -${st.loadPid}`, { timeoutMs: 10_000, signal: AbortSignal.timeout(15_000) });
      ctx.log(`${named(dev)}: load stopped (process group ${st.loadPid})`);
    } catch (err) {
      ctx.log(`${named(dev)}: could not stop the load (process group ${st.loadPid}): ${why(err)}; it ends by itself at its timeout`, 'warn');
    }
  }

  async function start(ctx: ToolContext, a: z.output<typeof input>): Promise<BurnState> {
    const dev = deviceOf(deps, a.deviceId);
    const info = await abortable(deps.bmc.info(dev.id), ctx.signal);
    const baselineSel = info.sel.reduce((m, e) => Math.max(m, e.id), 0);
    const seconds = a.minutes * 60;
    let loadPid: number | null = null;
    let problem: string | null = null;
    if (!dev.sshCredential) problem = 'no SSH credential';
    else {
      try {
        const r = await runOnDevice(deps, dev, (a.loadCommand ?? loadCommand(seconds)).replaceAll('{seconds}', String(Math.ceil(seconds))), { timeoutMs: 20_000, signal: ctx.signal });
        const pid = Number(r.stdout.trim().split('\n').pop());
        if (r.exitCode === 0 && Number.isInteger(pid) && pid > 1) loadPid = pid;
        else problem = `exit ${r.exitCode ?? r.signal}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0].slice(0, 160)}` : ''}, no pid printed`;
      } catch (err) {
        problem = why(err);
      }
    }
    if (problem && a.requireLoad) throw new FleetDeckError('UNAVAILABLE', `${named(dev)}: the CPU load could not be started (${problem}); this step requires it`, { deviceId: dev.id });
    if (problem) ctx.log(`${named(dev)}: the CPU load could not be started (${problem}): watching the BMC without load`, 'warn');
    else ctx.log(`${named(dev)}: CPU load started for ${a.minutes} min (process group ${loadPid}); watching temperatures (limit ${a.maxTempC} C, inlet ${a.maxInletTempC} C) and the SEL (from record ${baselineSel})`);
    const t = now();
    return { startedAt: t, endAt: t + seconds * 1000, baselineSel, loadPid, peaks: {}, failedReads: 0 };
  }

  return tool({
    name: 'burnin.run',
    title: 'Burn-in (arrival stress test)',
    kind: 'poll',
    idempotent: false,
    input,
    output,
    async run(ctx, a) {
      if (ctx.check === 0) return { status: 'pending' as const, state: await start(ctx, a) };
      const st = ctx.pollState as BurnState;
      const dev = deviceOf(deps, a.deviceId);
      let info: BmcInfo;
      try {
        info = await abortable(deps.bmc.info(dev.id), ctx.signal);
        st.failedReads = 0;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        st.failedReads++;
        ctx.log(`${named(dev)}: BMC read ${st.failedReads} of 3 failed: ${why(err)}`, 'warn');
        if (st.failedReads < 3) return { status: 'pending' as const, state: st };
        await stopLoad(ctx, a.deviceId, st);
        throw new FleetDeckError('UNAVAILABLE', `${named(dev)}: the BMC did not answer 3 reads in a row during the burn-in: ${why(err)}`, { deviceId: dev.id }, { cause: err });
      }
      const over: string[] = [];
      for (const s of info.sensors) {
        if (s.typeCode !== TEMPERATURE || s.value === null) continue;
        st.peaks[s.name] = Math.max(st.peaks[s.name] ?? -Infinity, s.value);
        const limit = INLET.test(s.name) ? a.maxInletTempC : a.maxTempC;
        if (s.value >= limit) over.push(`${s.name} ${s.value} C (limit ${limit} C)`);
      }
      const sel = summarizeSel(info.sel, 20, (e) => e.id > st.baselineSel);
      const left = Math.max(0, st.endAt - now());
      if (over.length || sel.critical > a.maxNewSelCritical) {
        await stopLoad(ctx, a.deviceId, st);
        const whatSel = sel.critical > a.maxNewSelCritical ? `${sel.critical} new critical SEL entr${sel.critical === 1 ? 'y' : 'ies'} (${sel.criticalEntries.slice(0, 3).map(selLine).join('; ')})` : '';
        throw new FleetDeckError('CONFLICT', `${named(dev)} failed the burn-in after ${Math.round((now() - st.startedAt) / 1000)} s: ${[over.join(', '), whatSel].filter(Boolean).join('; ')}`, { deviceId: dev.id, over, selCritical: sel.critical });
      }
      if (ctx.check % 5 === 1 || left === 0) {
        const temps = Object.entries(st.peaks).map(([n, v]) => `${n} peak ${v} C`).join(', ');
        ctx.log(`${named(dev)}: ${temps || 'no temperature sensors'}; ${sel.errors} new SEL error(s); ${Math.ceil(left / 1000)} s left`);
      }
      if (left > 0) return { status: 'pending' as const, state: st };
      await stopLoad(ctx, a.deviceId, st);
      const peaks = Object.entries(st.peaks).map(([sensor, celsius]) => ({ sensor, celsius }));
      const of = (inlet: boolean) => peaks.filter((p) => INLET.test(p.sensor) === inlet).reduce<number | null>((m, p) => (m === null || p.celsius > m ? p.celsius : m), null);
      ctx.log(`${named(dev)} passed the burn-in (${a.minutes} min${st.loadPid === null ? ', without load' : ''})`);
      return {
        status: 'done' as const,
        output: { minutes: a.minutes, loadStarted: st.loadPid !== null, peakTempC: of(false), peakInletTempC: of(true), peaks, newSelErrors: sel.errors, newSelCritical: sel.critical, checks: ctx.check },
      };
    },
  });
}
