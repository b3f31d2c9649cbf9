// Alarm rule evaluation over 100 k series (issue 15): a generated lab of 25,000 devices in a
// store file, four metrics per device (100,000 raw series, three samples each), the store
// closed and opened again so the first evaluation reads the newest values from SQL as a
// restarted console would, then the alarms capability's own evaluation step (scope
// selection, the newest sample of every series through the latest reader, the engine, roots,
// masks, the step's writes in one transaction) timed in CPU time. Two cases: a quiet fleet
// (1% of series over threshold, the alarms already firing: steady state) and a storm (10%
// go over in one step: that many alarms written at once). The figure is CPU per minute at the
// 10 s period (six steps), against the one core the console may spend.
// Usage: node --import tsx test/bench/alarms.ts [--devices 25000] [--runs 12]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAlarms } from '../../src-main/core/alarms/alarms-capability';
import { EventHub } from '../../src-main/core/events/event-hub';
import { openCoreStore } from '../../src-main/core/store/core-store';
import type { Sample } from '../../src-main/core/store/metrics-repository';
import { generateLab } from '../../src-main/lab/generator';
import { alarmRuleSchema, type AlarmRule } from '../../src-shared/domain/alarm';
import type { InventoryDocument } from '../../src-shared/domain';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '25000' }, runs: { type: 'string', default: '12' } } });
const DEVICES = Number(values.devices);
const RUNS = Number(values.runs);
const METRICS = ['pdu.power_w', 'snmp.rtt_ms', 'if.in_bps', 'if.out_bps'] as const;
const THRESHOLD = 1000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (f: () => void): number => {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};

/** Writes the lab and its samples: a series is over the threshold when hash(device, metric) < share. */
function fill(path: string, now: number, share: (i: number, m: number) => boolean): string[] {
  const store = openCoreStore({ storePath: path, secretKey: randomBytes(32) });
  const lab = generateLab(15, { sites: 2, roomsPerSite: 2, rowsPerRoom: 20, cabinetsPerRow: Math.max(1, Math.round(DEVICES / 10 / 80)), devices: DEVICES }, { addressPrefix: '127.46' });
  store.inventory.upsert({
    ...lab,
    rooms: lab.rooms.map((r) => ({ widthM: 30, depthM: 20, ...(r as object) })),
    rows: lab.rows.map((r, i) => ({ xM: 1, yM: 1 + 2 * (i % 20), facing: 'north', coldAisle: 'front', ...(r as object) })),
    cabinets: lab.cabinets.map((c) => ({ widthMm: 600, depthMm: 1200, ...(c as object) })),
    devices: lab.devices.map((d) => ({ ...d, snmpCredential: null, sshCredential: null, ipmiCredential: null })),
  } as unknown as InventoryDocument);
  const samples: Sample[] = [];
  lab.devices.forEach((dev, i) => {
    METRICS.forEach((metric, m) => {
      for (let k = 3; k >= 1; k--) samples.push({ deviceId: dev.id, metric, ts: now - k * 20_000, value: share(i, m) ? THRESHOLD * 2 : THRESHOLD / 2 });
    });
  });
  for (let i = 0; i < samples.length; i += 50_000) store.metrics.append(samples.slice(i, i + 50_000));
  const ids = lab.devices.map((d) => d.id);
  void store.dispose();
  return ids;
}

const rules: AlarmRule[] = METRICS.map((metric) => alarmRuleSchema.parse({
  id: `over-${metric}`, name: `${metric} over ${THRESHOLD}`, severity: 'major', forMs: 0, scope: {},
  condition: { kind: 'metric', metric, op: '>', value: THRESHOLD },
}));

interface Case { name: string; over: number; first: number; steady: number; alarms: number; series: number }

function runCase(name: string, over: number): Case {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-alarms-'));
  try {
    const path = join(dir, 'bench.db');
    let t = Date.now();
    const pick = (i: number, m: number): boolean => ((i * 7919 + m * 104_729) % 1000) / 1000 < over;
    const ids = fill(path, t, pick);
    const store = openCoreStore({ storePath: path, secretKey: randomBytes(32) });
    for (const r of rules) store.alarms.putRule(r);
    const cap = startAlarms({ store, hub: new EventHub(), status: () => 'up', clock: () => t, intervalMs: 0, staleMs: 3_600_000 });
    const first = cpuMs(() => cap.evaluateNow());
    const steady: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      t += 10_000;
      steady.push(cpuMs(() => cap.evaluateNow()));
    }
    const alarms = cap.alarms().filter((a) => a.state === 'firing').length;
    void cap.dispose();
    void store.dispose();
    return { name, over, first, steady: median(steady), alarms, series: ids.length * METRICS.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const cases = [runCase('quiet fleet', 0.01), runCase('storm', 0.1)];
  console.log(`\nalarm rule evaluation (issue 15): ${DEVICES} devices x ${METRICS.length} metrics, ${rules.length} rules over the whole fleet, real store file; CPU time, median of ${RUNS} steps`);
  console.log('case          series   firing  first step (cold, SQL)  steady step  CPU per minute at 10 s  share of one core');
  for (const c of cases) {
    const perMin = c.steady * 6;
    console.log(
      `${c.name.padEnd(12)} ${String(c.series).padStart(7)} ${String(c.alarms).padStart(8)} ${`${c.first.toFixed(0)} ms`.padStart(23)} ${`${c.steady.toFixed(1)} ms`.padStart(12)} ${`${perMin.toFixed(0)} ms`.padStart(23)} ${`${((perMin / 60_000) * 100).toFixed(2)} %`.padStart(18)}`,
    );
  }
  console.log('goal (issue 15): rule evaluation over 100 k series per minute, printed as CPU time; the reference is one core (60,000 ms of CPU per minute).');
}

main();
