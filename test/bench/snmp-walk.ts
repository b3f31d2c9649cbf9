// GetBulk walk rate, FleetDeck vs net-snmp's snmpbulkwalk, against the same snmpd instances.
// Two scenarios, each over snmpd children on 127.50.9.<i>:1890<i> serving static tables
// (snmpd.conf `override` lines, so the OID count does not drift with the host's sockets):
//   - poll cycle: 8 devices walked at once, each a 500-row x 2-column table (1,000 OIDs, the
//     size of a 48-port switch's ifXTable): what a poller does every interval;
//   - bulk tables: 2 devices at once, each a 5,000 x 2 table (10,000 OIDs): snmpbulkwalk's
//     best case, its process start-up spread over many OIDs.
// A round walks every device of the scenario at once: FleetDeck in this one process (one
// session per walk, opened and closed inside the timing), snmpbulkwalk as one process per
// device. Rounds alternate which side goes first; the first round warms both up and is not
// counted. Prints, per setting, the median OIDs/s of each side and their ratio (the goal:
// FleetDeck >= 1.0x), then the client CPU each side spends per OID (this process's cpuUsage;
// bash's `time` around snmpbulkwalk), measured in one extra round apart from the timed ones.
// Every process here shares the machine's cores with the snmpd instances, which on real
// hardware run on the devices. Wall-clock rates on a shared 2-core machine move by tens of
// percent between runs: compare the two columns of one line, not lines or runs.
// Run it bundled, as the product ships (npm run bench:snmp):
//   node test/bench/bundled.mjs test/bench/snmp-walk.ts [--rounds 11] [--only poll|bulk]
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { createSnmpSession, readTable, type SnmpCredentials } from '../../src-main/core/protocols/snmp';
import { cliEnv, cliUserArgs, startSnmpd, V3_USERS, which, type SnmpdPeer } from '../support/snmp-peers';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '11' }, only: { type: 'string' } } });
const ROUNDS = Number(values.rounds);
const ENTERPRISE = '1.3.6.1.4.1.32473.5'; // RFC 5612 documentation enterprise: the bench tables
const run = promisify(execFile);

interface Scenario {
  key: 'poll' | 'bulk';
  label: string;
  devices: number;
  rows: number;
  /** The table's entry OID (columns .1 and .2 under it). */
  table: string;
}

const SCENARIOS: Scenario[] = [
  { key: 'poll', label: 'poll cycle: 8 devices at once, 500 rows x 2 columns each', devices: 8, rows: 500, table: `${ENTERPRISE}.1` },
  { key: 'bulk', label: 'bulk tables: 2 devices at once, 5,000 rows x 2 columns each', devices: 2, rows: 5000, table: `${ENTERPRISE}.2` },
];

interface Setting {
  label: string;
  v3: boolean;
  /** FleetDeck: a subtree walk, or the two columns read side by side (readTable). */
  mode: 'walk' | 'table';
  fdReps: number;
  cliReps: number;
  /** The line the goal is read from. */
  goal?: boolean;
}

const SETTINGS: Setting[] = [
  { label: 'v2c walk, max-repetitions 10 both (snmpbulkwalk default)', v3: false, mode: 'walk', fdReps: 10, cliReps: 10 },
  { label: 'v2c walk, max-repetitions 25 both (FleetDeck default)', v3: false, mode: 'walk', fdReps: 25, cliReps: 25 },
  { label: 'v2c walk, each at its default (FleetDeck 25, snmpbulkwalk 10)', v3: false, mode: 'walk', fdReps: 25, cliReps: 10, goal: true },
  { label: 'v3 SHA/AES walk, max-repetitions 25 both', v3: true, mode: 'walk', fdReps: 25, cliReps: 25 },
  { label: 'v2c table read (both columns per GetBulk) vs walk, 25 both', v3: false, mode: 'table', fdReps: 25, cliReps: 25 },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function fleetdeckRound(peers: SnmpdPeer[], sc: Scenario, s: Setting): Promise<{ oids: number; ms: number }> {
  const t0 = performance.now();
  const counts = await Promise.all(peers.map(async (p) => {
    const credentials: SnmpCredentials = s.v3 ? { version: '3', user: V3_USERS.sha } : { version: '2c', community: p.community };
    const session = createSnmpSession({ host: p.host, port: p.port, credentials, timeoutMs: 5000 });
    try {
      if (s.mode === 'table') return (await readTable(session, sc.table, [1, 2], { maxRepetitions: s.fdReps })).rows.size * 2;
      return await session.walkEach(sc.table, () => {}, { maxRepetitions: s.fdReps });
    } finally {
      await session.close();
    }
  }));
  return { oids: counts.reduce((a, b) => a + b, 0), ms: performance.now() - t0 };
}

const cliArgs = (p: SnmpdPeer, sc: Scenario, s: Setting): string[] =>
  [...(s.v3 ? cliUserArgs(V3_USERS.sha) : ['-v2c', '-c', p.community]), '-Onq', `-Cr${s.cliReps}`, '-t', '5', `${p.host}:${p.port}`, sc.table];

async function cliRound(peers: SnmpdPeer[], sc: Scenario, s: Setting): Promise<{ oids: number; ms: number }> {
  const bin = which('snmpbulkwalk') ?? 'snmpbulkwalk';
  const t0 = performance.now();
  const counts = await Promise.all(peers.map(async (p) => {
    const { stdout } = await run(bin, cliArgs(p, sc, s), { env: cliEnv(p.dir), maxBuffer: 256 * 1024 * 1024 });
    let n = 0;
    for (let i = stdout.indexOf('\n'); i >= 0; i = stdout.indexOf('\n', i + 1)) n++;
    return n;
  }));
  return { oids: counts.reduce((a, b) => a + b, 0), ms: performance.now() - t0 };
}

/** Client CPU per OID: FleetDeck's process time over a round, snmpbulkwalk's by bash's `time`. */
async function cpuPerOid(peers: SnmpdPeer[], sc: Scenario, s: Setting): Promise<{ fd: number; cli: number }> {
  const c0 = process.cpuUsage();
  const { oids } = await fleetdeckRound(peers, sc, s);
  const c = process.cpuUsage(c0);
  let cliSeconds = 0;
  for (const p of peers) {
    const cmd = [which('snmpbulkwalk') ?? 'snmpbulkwalk', ...cliArgs(p, sc, s)].map((a) => `'${a}'`).join(' ');
    const { stderr } = await run('bash', ['-c', `TIMEFORMAT='%3U %3S'; time ${cmd} > /dev/null`], { env: cliEnv(p.dir) });
    const [user, sys] = stderr.trim().split(/\s+/).slice(-2).map(Number);
    cliSeconds += user + sys;
  }
  return { fd: (c.user + c.system) / oids, cli: (cliSeconds * 1e6) / oids };
}

function tableConf(sc: Scenario): string[] {
  const conf: string[] = [];
  for (let i = 1; i <= sc.rows; i++) conf.push(`override ${sc.table}.1.${i} integer ${i * 7}`);
  for (let i = 1; i <= sc.rows; i++) conf.push(`override ${sc.table}.2.${i} octet_str "port-${i}"`);
  return conf;
}

async function main(): Promise<void> {
  const scenarios = SCENARIOS.filter((sc) => !values.only || sc.key === values.only);
  const peers: SnmpdPeer[] = [];
  const goals: string[] = [];
  try {
    // Device i serves the table of every scenario that walks at least i devices.
    const count = Math.max(...scenarios.map((sc) => sc.devices));
    for (let i = 1; i <= count; i++) {
      const conf = scenarios.filter((sc) => sc.devices >= i).flatMap(tableConf);
      peers.push(await startSnmpd({ host: `127.50.9.${i}`, port: 18900 + i, conf }));
    }
    console.log(`SNMP GetBulk walk rate, FleetDeck (bundled as shipped) vs snmpbulkwalk processes: ${ROUNDS - 1} timed rounds after a warm-up, median; node ${process.version}, ${peers.length} snmpd`);
    for (const sc of scenarios) {
      const expected = 2 * sc.rows * sc.devices;
      const devices = peers.slice(0, sc.devices);
      console.log(`\n${sc.label} (${expected} OIDs a round)`);
      console.log(`${'setting'.padEnd(66)} ${'FleetDeck OIDs/s'.padStart(17)} ${'snmpbulkwalk OIDs/s'.padStart(20)} ${'ratio'.padStart(7)}   client CPU us/OID (FleetDeck / snmpbulkwalk)`);
      for (const s of SETTINGS) {
        const fd: number[] = [];
        const cli: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const order = r % 2 ? [cliRound, fleetdeckRound] : [fleetdeckRound, cliRound];
          for (const side of order) {
            const { oids, ms } = await side(devices, sc, s);
            if (oids !== expected) throw new Error(`${side.name} got ${oids} OIDs, expected ${expected}`);
            if (r > 0) (side === fleetdeckRound ? fd : cli).push((oids / ms) * 1000);
          }
        }
        const a = median(fd);
        const b = median(cli);
        const cpu = await cpuPerOid(devices, sc, s);
        console.log(`${s.label.padEnd(66)} ${a.toFixed(0).padStart(17)} ${b.toFixed(0).padStart(20)} ${(a / b).toFixed(2).padStart(6)}x   ${cpu.fd.toFixed(2)} / ${cpu.cli.toFixed(2)}`);
        if (s.goal) goals.push(`${sc.key}: ${(a / b).toFixed(2)}x`);
      }
    }
    console.log(`\ngoal (FleetDeck >= 1.0x; each tool at its default, v2c walk): ${goals.join(', ')}`);
  } finally {
    await Promise.all(peers.map((p) => p.stop()));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
