// GetBulk walk rate, FleetDeck vs net-snmp's snmpbulkwalk, against the same snmpd instances.
// Each snmpd (a child on 127.50.9.<i>:1890<i>) serves a static table of --rows rows x 2
// columns (snmpd.conf `override` lines, so the OID count does not drift with the host's
// sockets or processes). A round walks every instance at once: FleetDeck in this one process
// (one session per walk, opened and closed inside the timing), snmpbulkwalk as one process
// per instance. Rounds alternate which side goes first; the first round warms both up and is
// not counted. Prints, per setting, the median OIDs/s of each side and their ratio (the
// goal: FleetDeck >= 1.0x), then the client CPU each side spends per OID (this process's
// cpuUsage; bash's `time` around snmpbulkwalk), measured in one extra round apart from the
// timed ones. Wall-clock rates on a shared 2-core machine move by tens of percent between
// runs: compare the two columns of one line, not lines or runs.
// Usage: node --import tsx test/bench/snmp-walk.ts [--instances 2] [--rounds 11] [--rows 5000]
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { readTable } from '../../src-main/core/protocols/snmp/table';
import { createSnmpSession, type SnmpCredentials } from '../../src-main/core/protocols/snmp/session';
import { cliEnv, cliUserArgs, startSnmpd, V3_USERS, which, type SnmpdPeer } from '../support/snmp-peers';

const { values } = parseArgs({ options: { instances: { type: 'string', default: '2' }, rounds: { type: 'string', default: '11' }, rows: { type: 'string', default: '5000' } } });
const INSTANCES = Number(values.instances);
const ROUNDS = Number(values.rounds);
const ROWS = Number(values.rows);
const TABLE = '1.3.6.1.4.1.32473.5.1'; // RFC 5612 documentation enterprise: a bench table
const run = promisify(execFile);

interface Setting {
  label: string;
  v3: boolean;
  /** FleetDeck: a subtree walk, or the two columns read side by side (readTable). */
  mode: 'walk' | 'table';
  fdReps: number;
  cliReps: number;
}

const SETTINGS: Setting[] = [
  { label: 'v2c walk, max-repetitions 10 both (snmpbulkwalk default)', v3: false, mode: 'walk', fdReps: 10, cliReps: 10 },
  { label: 'v2c walk, max-repetitions 25 both (FleetDeck default)', v3: false, mode: 'walk', fdReps: 25, cliReps: 25 },
  { label: 'v2c walk, each at its default (FleetDeck 25, snmpbulkwalk 10)', v3: false, mode: 'walk', fdReps: 25, cliReps: 10 },
  { label: 'v3 SHA/AES walk, max-repetitions 25 both', v3: true, mode: 'walk', fdReps: 25, cliReps: 25 },
  { label: 'v2c table read (both columns per GetBulk) vs walk, 25 both', v3: false, mode: 'table', fdReps: 25, cliReps: 25 },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function fleetdeckRound(peers: SnmpdPeer[], s: Setting): Promise<{ oids: number; ms: number }> {
  const t0 = performance.now();
  const counts = await Promise.all(peers.map(async (p) => {
    const credentials: SnmpCredentials = s.v3 ? { version: '3', user: V3_USERS.sha } : { version: '2c', community: p.community };
    const session = createSnmpSession({ host: p.host, port: p.port, credentials, timeoutMs: 5000 });
    try {
      if (s.mode === 'table') return (await readTable(session, TABLE, [1, 2], { maxRepetitions: s.fdReps })).rows.size * 2;
      return await session.walkEach(TABLE, () => {}, { maxRepetitions: s.fdReps });
    } finally {
      await session.close();
    }
  }));
  return { oids: counts.reduce((a, b) => a + b, 0), ms: performance.now() - t0 };
}

async function cliRound(peers: SnmpdPeer[], s: Setting): Promise<{ oids: number; ms: number }> {
  const bin = which('snmpbulkwalk') ?? 'snmpbulkwalk';
  const t0 = performance.now();
  const counts = await Promise.all(peers.map(async (p) => {
    const auth = s.v3 ? cliUserArgs(V3_USERS.sha) : ['-v2c', '-c', p.community];
    const { stdout } = await run(bin, [...auth, '-Onq', `-Cr${s.cliReps}`, '-t', '5', `${p.host}:${p.port}`, TABLE], { env: cliEnv(p.dir), maxBuffer: 256 * 1024 * 1024 });
    let n = 0;
    for (let i = stdout.indexOf('\n'); i >= 0; i = stdout.indexOf('\n', i + 1)) n++;
    return n;
  }));
  return { oids: counts.reduce((a, b) => a + b, 0), ms: performance.now() - t0 };
}

/** Client CPU per OID: FleetDeck's process time over a round, snmpbulkwalk's by bash's `time`. */
async function cpuPerOid(peers: SnmpdPeer[], s: Setting): Promise<{ fd: number; cli: number }> {
  const c0 = process.cpuUsage();
  const { oids } = await fleetdeckRound(peers, s);
  const c = process.cpuUsage(c0);
  let cliSeconds = 0;
  for (const p of peers) {
    const auth = s.v3 ? cliUserArgs(V3_USERS.sha) : ['-v2c', '-c', p.community];
    const cmd = [which('snmpbulkwalk') ?? 'snmpbulkwalk', ...auth, '-Onq', `-Cr${s.cliReps}`, '-t', '5', `${p.host}:${p.port}`, TABLE].map((a) => `'${a}'`).join(' ');
    const { stderr } = await run('bash', ['-c', `TIMEFORMAT='%3U %3S'; time ${cmd} > /dev/null`], { env: cliEnv(p.dir) });
    const [user, sys] = stderr.trim().split(/\s+/).slice(-2).map(Number);
    cliSeconds += user + sys;
  }
  return { fd: (c.user + c.system) / oids, cli: (cliSeconds * 1e6) / oids };
}

async function main(): Promise<void> {
  const conf: string[] = [];
  for (let i = 1; i <= ROWS; i++) conf.push(`override ${TABLE}.1.${i} integer ${i * 7}`);
  for (let i = 1; i <= ROWS; i++) conf.push(`override ${TABLE}.2.${i} octet_str "port-${i}"`);
  const peers: SnmpdPeer[] = [];
  try {
    for (let i = 1; i <= INSTANCES; i++) peers.push(await startSnmpd({ host: `127.50.9.${i}`, port: 18900 + i, conf }));
    console.log(`SNMP GetBulk walk rate: ${INSTANCES} snmpd instance(s), a ${ROWS} x 2 table each (${2 * ROWS * INSTANCES} OIDs a round), ` +
      `${ROUNDS - 1} timed rounds after a warm-up, median; node ${process.version}`);
    console.log(`${'setting'.padEnd(66)} ${'FleetDeck OIDs/s'.padStart(17)} ${'snmpbulkwalk OIDs/s'.padStart(20)} ${'ratio'.padStart(7)}   client CPU us/OID (FleetDeck / snmpbulkwalk)`);
    for (const s of SETTINGS) {
      const fd: number[] = [];
      const cli: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const order = r % 2 ? [cliRound, fleetdeckRound] : [fleetdeckRound, cliRound];
        for (const side of order) {
          const { oids, ms } = await side(peers, s);
          if (oids !== 2 * ROWS * INSTANCES) throw new Error(`${side.name} got ${oids} OIDs, expected ${2 * ROWS * INSTANCES}`);
          if (r > 0) (side === fleetdeckRound ? fd : cli).push((oids / ms) * 1000);
        }
      }
      const a = median(fd);
      const b = median(cli);
      const cpu = await cpuPerOid(peers, s);
      console.log(`${s.label.padEnd(66)} ${a.toFixed(0).padStart(17)} ${b.toFixed(0).padStart(20)} ${(a / b).toFixed(2).padStart(6)}x   ${cpu.fd.toFixed(2)} / ${cpu.cli.toFixed(2)}`);
    }
  } finally {
    await Promise.all(peers.map((p) => p.stop()));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
