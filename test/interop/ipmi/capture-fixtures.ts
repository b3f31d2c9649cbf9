// Captures real IPMI exchanges as hex fixtures for the codec's unit tests and the fuzz
// tests: a tiny UDP relay on loopback sits between ipmitool and a BMC (ipmi_sim, or
// FleetDeck's own simulator for cipher suite 17, which ipmi_sim does not offer) and records
// every datagram in both directions.
// Usage: node --import tsx test/interop/ipmi/capture-fixtures.ts
import { createSocket, type RemoteInfo } from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBmcSimulator } from '../../../src-main/lab/bmc/bmc-simulator';
import { ipmitool, SIM, startIpmiSim } from './peers';

const OUT = fileURLToPath(new URL('../../unit/core/protocols/ipmi/fixtures/', import.meta.url));
const RELAY = { address: '127.40.0.2', port: 17010 };
const OWN_SIM = { address: '127.40.0.3', port: 17011, username: 'fleetdeck', password: 'lab-bmc-pass' };

export interface CapturedExchange {
  description: string;
  client: string;
  bmc: string;
  command: string;
  username: string;
  password: string;
  packets: { from: 'client' | 'bmc'; hex: string }[];
}

async function capture(target: { address: string; port: number }, run: (relay: { address: string; port: number }) => Promise<unknown>): Promise<CapturedExchange['packets']> {
  const packets: CapturedExchange['packets'] = [];
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  let client: RemoteInfo | null = null;
  front.on('message', (msg, rinfo) => {
    client = rinfo;
    packets.push({ from: 'client', hex: msg.toString('hex') });
    back.send(msg, target.port, target.address);
  });
  back.on('message', (msg) => {
    packets.push({ from: 'bmc', hex: msg.toString('hex') });
    if (client) front.send(msg, client.port, client.address);
  });
  await new Promise<void>((r) => front.bind(RELAY.port, RELAY.address, () => r()));
  await new Promise<void>((r) => back.bind(0, '127.40.0.2', () => r()));
  try {
    await run(RELAY);
  } finally {
    front.close();
    back.close();
  }
  return packets;
}

function save(name: string, x: CapturedExchange): void {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}${name}.json`, `${JSON.stringify(x, null, 1)}\n`);
  console.log(`${name}: ${x.packets.length} datagrams`);
}

async function main(): Promise<void> {
  const version = (await ipmitool({ ...SIM, address: SIM.address }, ['-V']).catch((e: Error) => e.message)).trim();
  const sim = await startIpmiSim();
  try {
    const creds = { username: SIM.username, password: SIM.password };
    for (const [name, command, iface] of [
      ['ipmitool-c3-ipmi-sim-chassis-status', 'chassis status', 'lanplus'],
      ['ipmitool-c3-ipmi-sim-sel-list', 'sel list', 'lanplus'],
      ['ipmitool-lan-md5-ipmi-sim-mc-info', 'mc info', 'lan'],
    ] as const) {
      const packets = await capture(SIM, (relay) => ipmitool({ ...relay, ...creds, cipherSuite: 3 }, command.split(' '), iface));
      save(name, { description: `${version} -I ${iface}${iface === 'lanplus' ? ' -C 3' : ''} ${command} against ipmi_sim (OpenIPMI 2.0.33)`, client: version, bmc: 'ipmi_sim', command, ...creds, packets });
    }
  } finally {
    await sim.stop();
  }
  const own = createBmcSimulator({ address: OWN_SIM.address, port: OWN_SIM.port, username: OWN_SIM.username, password: OWN_SIM.password, seed: 7 });
  await own.start();
  try {
    const creds = { username: OWN_SIM.username, password: OWN_SIM.password };
    const packets = await capture(OWN_SIM, (relay) => ipmitool({ ...relay, ...creds, cipherSuite: 17 }, ['chassis', 'power', 'status']));
    save('ipmitool-c17-fleetdeck-sim-power-status', { description: `${version} -I lanplus -C 17 chassis power status against FleetDeck's BMC simulator`, client: version, bmc: 'fleetdeck-bmc-simulator', command: 'chassis power status', ...creds, packets });
  } finally {
    await own.stop();
  }
}

await main();
