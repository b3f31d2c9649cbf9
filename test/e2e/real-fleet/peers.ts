// The real peers of the real-fleet acceptance test (issue 9), started as child processes and
// stopped by pid: two net-snmp snmpd agents on 127.0.0.1 (one answering the v2c community
// "alpha-ro", one a v3 authPriv SHA/AES user), OpenIPMI's ipmi_sim as a server's BMC and
// OpenSSH's sshd as that server's SSH host; plus serve mode itself with --no-lab on a fresh
// data dir. Ports are picked free on 127.0.0.1 at start; ipmi_sim's comes from its lan.conf.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { IPMI_SIM, IPMITOOL, SIM, ipmitool, peerCheck as ipmiCheck, startIpmiSim, type IpmiSimPeer } from '../../interop/ipmi/peers';
import { sshdCheck, startSshd, type SshdPeer } from '../../interop/ssh/sshd-peer';
import { startServe, type ServeProcess } from '../../support/serve-process';
import { cliUserArgs, peerCheck as snmpCheck, startSnmpd, V3_USERS, type SnmpdPeer } from '../../support/snmp-peers';

export const HOST = '127.0.0.1';
export const COMMUNITY = 'alpha-ro';
export const V3 = V3_USERS.sha;
export const BMC = SIM;

/** Why the test cannot run here (a peer program missing), or null. With CI=true nothing is skipped: the start fails. */
export function missingPeers(): string | null {
  const checks = [snmpCheck(['snmpd', 'snmptrap']), ipmiCheck([IPMI_SIM, IPMITOOL]), sshdCheck()];
  const skipped = checks.filter((c) => c.skip).map((c) => c.reason);
  return skipped.length ? skipped.join('; ') : null;
}

/** A port the kernel says is free on 127.0.0.1 now (UDP or TCP). */
export async function freePort(kind: 'udp' | 'tcp'): Promise<number> {
  if (kind === 'udp') {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, HOST, () => r()));
    const { port } = s.address();
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, HOST, () => r()));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (typeof addr !== 'object' || addr === null) throw new Error('no TCP port');
  return addr.port;
}

export interface RealFleet {
  serve: ServeProcess;
  trapPort: number;
  /** snmpd answering v2c "alpha-ro". */
  snmpA: SnmpdPeer;
  /** snmpd with the v3 user V3 (authPriv SHA/AES). */
  snmpB: SnmpdPeer;
  bmc: IpmiSimPeer;
  sshd: SshdPeer;
  /** `ipmitool chassis power status` at the BMC: "on" or "off". */
  chassisPower(): Promise<'on' | 'off'>;
  /** The pids started (serve, snmpd x2, ipmi_sim, sshd), for the report. */
  pids(): number[];
  stop(): Promise<void>;
}

/** Starts everything; what started before a failure is stopped again. */
export async function startRealFleet(): Promise<RealFleet> {
  const started: { stop(): Promise<unknown> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const s of started.reverse()) {
      try {
        await s.stop();
      } catch {
        // keep stopping the rest
      }
    }
  };
  try {
    const [portA, portB, sshPort] = [await freePort('udp'), await freePort('udp'), await freePort('tcp')];
    const snmpA = await startSnmpd({ host: HOST, port: portA, conf: [`rocommunity ${COMMUNITY} 127.0.0.0/8`, 'sysName rf-snmp-a'] });
    started.push(snmpA);
    const snmpB = await startSnmpd({ host: HOST, port: portB, conf: ['sysName rf-snmp-b'] });
    started.push(snmpB);
    // Sanity: B answers its v3 user (the test's credential is then right or wrong by our choice only).
    await snmpB.cli('snmpget', [...cliUserArgs(V3), '-t', '1', '-r', '1', `${HOST}:${portB}`, '1.3.6.1.2.1.1.5.0']);
    const bmc = await startIpmiSim();
    started.push(bmc);
    const sshd = await startSshd({ address: HOST, port: sshPort });
    started.push(sshd);
    const serve = await startServe(['--no-lab']);
    started.push(serve);
    const trapLine = serve.output.map((l) => /SNMP trap receiver on [\d.]+:(\d+)/.exec(l)).find((m) => m);
    if (!trapLine) throw new Error(`serve printed no trap receiver:\n${serve.output.join('\n')}`);
    return {
      serve,
      trapPort: Number(trapLine[1]),
      snmpA,
      snmpB,
      bmc,
      sshd,
      chassisPower: async () => {
        const out = await ipmitool({ address: BMC.address, port: BMC.port, username: BMC.username, password: BMC.password }, ['chassis', 'power', 'status']);
        const m = /Chassis Power is (on|off)/.exec(out);
        if (!m) throw new Error(`ipmitool chassis power status printed: ${out}`);
        return m[1] as 'on' | 'off';
      },
      pids: () => [serve.pid, snmpA.pid, snmpB.pid, bmc.pid, sshd.pid],
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
