// BMC sensor poll rate for the lab's 2,670 BMCs: the lab process (3,000 devices) as a child,
// the console's BMC service and sensor poller reading every server's sensors and power into
// the time series. Prints the first round (logins and SDR reads included) and warm rounds on
// held sessions as rounds/s and BMCs/s, at a few concurrencies; then ipmitool's `sdr` and
// `sensor` on a sample of the same BMCs, one process per BMC, 16 at a time.
// Usage: node --import tsx test/bench/bmc-sensors.ts [--rounds 3] [--sample 200] [--concurrency 16,32,64]
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LAB_IPMI_CREDENTIAL } from '../../src-shared/lab-protocol';
import { createCredentialResolver } from '../../src-main/core/credentials/credential-resolver';
import { startDeviceControl } from '../../src-main/core/device-control/device-control-module';
import { BMC_METRICS, startSensorPoller, type SensorRound } from '../../src-main/core/device-control/sensor-poller';
import { startLab } from '../../src-main/core/lab-link/lab-link';
import { openCoreStore } from '../../src-main/core/store/core-store';
import { pool } from './pool';
import { rssMb } from './rss';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    sample: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16,32,64' },
    'ipmitool-parallel': { type: 'string', default: '16' },
  },
});
const LAB_ENTRY = fileURLToPath(new URL('../../src-main/lab/lab-process.ts', import.meta.url));


function ipmitool(host: string, port: number, login: { username: string; password: string }, command: 'sdr' | 'sensor'): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile('ipmitool', ['-I', 'lanplus', '-C', '17', '-H', host, '-p', String(port), '-U', login.username, '-P', login.password, command], (err, stdout, stderr) => {
      if (err) reject(new Error(`${host}: ${stderr || err.message}`));
      else resolve(stdout.split('\n').filter((l) => l.includes('|')).length);
    });
  });
}

const line = (label: string, r: { ms: number; bmcs: number; failed: number }, extra = ''): string =>
  `${label.padEnd(44)} ${r.ms.toFixed(0).padStart(6)} ms   ${(1000 / r.ms).toFixed(2).padStart(6)} rounds/s   ${(r.bmcs / (r.ms / 1000)).toFixed(0).padStart(5)} BMCs/s   ${r.failed} failed${extra}`;

async function main(): Promise<void> {
  const lab = await startLab({ entry: LAB_ENTRY, seed: 1, addressPrefix: '127.61', snmpPort: 16361 }, () => {});
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  try {
    store.credentials.put(LAB_IPMI_CREDENTIAL, 'ipmi', 'Lab fleet BMC login', JSON.stringify(lab.credentials.ipmi));
    store.inventory.upsert(lab.inventory);
    const servers = lab.inventory.devices.filter((d) => d.bmcAddress && d.ipmiCredential);
    console.log(`BMC sensor poll: lab of ${lab.inventory.devices.length} devices, ${servers.length} BMCs (lab process pid ${lab.pid}, up in ${lab.startMs} ms, RSS ${rssMb(lab.pid).toFixed(0)} MB)`);
    const control = startDeviceControl({ store, credentials: createCredentialResolver(store.credentials, store.bindings), record: () => {}, bmcSensors: false });
    const ids = servers.map((d) => d.id);
    const rounds = Number(values.rounds);
    for (const concurrency of values.concurrency!.split(',').map(Number)) {
      // A poller of its own per concurrency, on the one BMC service (its held sessions carry over).
      const poller = startSensorPoller({ bmc: control.bmc, targets: () => ids, metrics: store.metrics, concurrency, intervalMs: 3_600_000, firstDelayMs: 3_600_000 });
      const cold = control.bmc.openSessions === 0;
      const first = await poller.pollNow();
      const warm: SensorRound[] = [];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < rounds; i++) warm.push(await poller.pollNow());
      const cpu = process.cpuUsage(cpu0);
      const ms = warm.reduce((a, r) => a + r.ms, 0) / warm.length;
      const failed = warm.reduce((a, r) => a + r.failed, 0);
      if (cold) console.log(line(`first round, ${concurrency} in flight (logins, SDRs)`, first, `   ${first.samples} samples`));
      const cpuPct = ((cpu.user + cpu.system) / 1000 / warm.reduce((a, r) => a + r.ms, 0)) * 100;
      console.log(line(`warm rounds, ${String(concurrency).padStart(2)} in flight (held sessions)`, { ms, bmcs: ids.length, failed }, `   ${warm[0].samples} samples/round, console CPU ${cpuPct.toFixed(0)}%`));
      await poller.dispose();
    }
    const now = Date.now();
    const probe = servers[0].id;
    const latest = (m: string) => store.metrics.query(probe, m, now - 600_000, now + 1, now).points.at(-1)?.avg;
    console.log(`e.g. ${servers[0].hostname}: inlet ${latest(BMC_METRICS.inlet)} C, CPU ${latest(BMC_METRICS.cpu)} C, fan ${latest(`${BMC_METRICS.fanPrefix}1`)} RPM, ${latest(BMC_METRICS.power)} W; BMC sessions held: ${control.bmc.openSessions}`);

    // ipmitool on a sample of the same BMCs: a process (and a login, and an SDR read) per BMC.
    const sample = servers.filter((_, i) => i % Math.max(1, Math.floor(servers.length / Number(values.sample))) === 0).slice(0, Number(values.sample));
    const parallel = Number(values['ipmitool-parallel']);
    const login = lab.credentials.ipmi;
    for (const command of ['sdr', 'sensor'] as const) {
      const t0 = performance.now();
      const rows = await pool(sample.length, parallel, (i) => ipmitool(sample[i].bmcAddress!, sample[i].bmcPort, login, command).catch(() => -1));
      const ms = performance.now() - t0;
      const failedTool = rows.filter((n) => n < 0).length;
      const perBmc = ms / sample.length;
      console.log(line(`ipmitool ${command.padEnd(6)}, ${parallel} processes, ${sample.length} BMCs`, { ms: perBmc * ids.length, bmcs: ids.length, failed: failedTool },
        `   (${ms.toFixed(0)} ms for the sample, scaled to ${ids.length}; ${rows.find((n) => n > 0) ?? 0} sensors each)`));
    }
    await control.dispose();
  } finally {
    await store.dispose();
    await lab.dispose();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
