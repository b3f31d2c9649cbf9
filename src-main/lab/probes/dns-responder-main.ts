// The DNS responder as a program, for a network namespace or the lab:
//   node --import tsx src-main/lab/probes/dns-responder-main.ts --address A --port P --name N
//        [--reuse-port] [--record name=1.2.3.4 ...]
// Prints "ready <address>:<port> <name>" once bound and serves until SIGTERM/SIGINT (exit 0).
// Bad arguments: a line on stderr saying which, exit 2.
import { startDnsResponder } from './dns-responder';

function parse(argv: readonly string[]): { address: string; port: number; name: string; reusePort: boolean; records: Record<string, string> } {
  const out = { address: '', port: -1, name: '', reusePort: false, records: {} as Record<string, string> };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--address') out.address = value();
    else if (flag === '--port') {
      const v = value();
      if (!/^\d{1,5}$/.test(v)) throw new Error(`--port must be a number 0..65535, got '${v}'`);
      out.port = Number(v);
    } else if (flag === '--name') out.name = value();
    else if (flag === '--reuse-port') out.reusePort = true;
    else if (flag === '--record') {
      const v = value();
      const m = /^([^=]+)=(.+)$/.exec(v);
      if (!m) throw new Error(`--record must be name=IPv4, got '${v}'`);
      out.records[m[1]] = m[2];
    } else throw new Error(`unknown argument '${flag}'`);
  }
  if (!out.address) throw new Error('--address is required');
  if (out.port < 0) throw new Error('--port is required');
  if (!out.name) throw new Error('--name is required');
  return out;
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`dns-responder: ${(err as Error).message}\nusage: dns-responder-main.ts --address A --port P --name N [--reuse-port] [--record name=IPv4]\n`);
    process.exit(2);
  }
  const r = await startDnsResponder({ address: args.address, port: args.port, instanceName: args.name, reusePort: args.reusePort, records: args.records });
  const stop = (): void => void r.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`ready ${r.address}:${r.port} ${r.instanceName}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`dns-responder: ${err.message}\n`);
  process.exit(1);
});
