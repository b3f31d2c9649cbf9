// Child process for the SSH benchmark: N lab SSH hosts in one process, each on its own
// loopback address. Tells its parent the addresses and host keys, then waits to be stopped.
import { labAddress } from '../../src-main/lab/generator';
import { startLabSshHosts } from '../../src-main/lab/ssh/ssh-host';

interface Start {
  count: number;
  prefix: string;
  port: number;
  authorizedKey: string;
  password: string;
}

process.once('message', async (msg: Start) => {
  const specs = Array.from({ length: msg.count }, (_, i) => ({
    id: `bench-${i}`,
    hostname: `bench-srv-${String(i).padStart(3, '0')}`,
    address: labAddress(msg.prefix, i),
    port: msg.port,
    hostKeySeed: `bench/${i}`,
    auth: { username: 'fleetdeck', password: msg.password, authorizedKeys: [msg.authorizedKey] },
    initialUptimeSec: 86_400 * (3 + i),
  }));
  const lab = await startLabSshHosts(specs);
  const stop = async (): Promise<void> => {
    await lab.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.send!({ hosts: [...lab.hosts.values()].map((h) => ({ address: h.spec.address, port: h.spec.port, publicKey: h.hostKey.publicKey })) });
});
