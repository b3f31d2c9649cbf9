// The session client inside a network namespace (mgw-netns.ts starts it with ip netns exec):
//   node --import tsx mgw-netns-client.ts --bind ADDR --sessions N --vip ADDR:PORT
// prints `ready` once its sockets are bound, then for each line `round <ms>` on stdin sends one
// packet on every session, waits ms, and prints one JSON line: { answered, silent, switched,
// backends, from } (switched: sessions answered by another backend than before, since the
// start; from: this round's answers by source address).
import { createInterface } from 'node:readline';
import { SessionClients } from './mgw-lab';

const args = process.argv.slice(2);
const opt = (n: string): string => {
  const i = args.indexOf(n);
  if (i < 0 || !args[i + 1]) throw new Error(`missing ${n}`);
  return args[i + 1];
};
const [address, port] = opt('--vip').split(':');
const vip = { address, port: Number(port) };
const clients = new SessionClients(Number(opt('--sessions')));
await clients.open(opt('--bind'));
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const m = /^round (\d+)/.exec(line);
  if (!m) continue;
  const at = Date.now();
  clients.from.clear();
  await clients.sendAll(vip);
  await new Promise((r) => setTimeout(r, Number(m[1])));
  const silent = clients.silentSince(at).length;
  const backends: Record<string, number> = {};
  for (const b of clients.backendOf) if (b) backends[b] = (backends[b] ?? 0) + 1;
  process.stdout.write(`${JSON.stringify({ answered: clients.count - silent, silent, switched: clients.switched, backends, from: Object.fromEntries(clients.from) })}\n`);
}
clients.close();
