// `npm run serve`: the core under plain Node, the renderer over HTTP, the contract over
// WebSocket. Prints the URL and (on first start, or with --rotate-tokens) the tokens.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/create-core';
import { deployLabAgents, labRuntimeStandIn } from './lab-agents';
import { keyFromPassphrase, loadOrCreateKeyFile, loadOrCreateSalt } from '../core/security/secret-key';
import { startServeServer } from './serve-server';

const here = dirname(fileURLToPath(import.meta.url));

const USAGE = `Usage: npm run serve -- [options]
  --port N            HTTP/WebSocket port (default 8420; 0 picks a free one)
  --bind ADDR         address to listen on (default 127.0.0.1)
  --data-dir DIR      store, key and salt (default ./.fleetdeck)
  --key-file FILE     credential key file, 0600 (default DATA_DIR/secret.key)
  --no-lab            do not start the embedded lab fleet
  --lab-devices N     size of the lab fleet (default 3000)
  --lab-prefix A.B    loopback range of the lab's hosts (default 127.16; BMCs at A.(B+100))
  --lab-agents N      deploy the agent to N of the lab's SSH hosts at start (spread over rows), so the
                      agents view and the probe matrix have live data (default 0)
  --lab-loopback M    aliases (a loopback address per lab device), single (all on 127.0.0.1, a port
                      per device: SNMP 20000+n, BMC 24000+n, SSH 28000+n) or auto (default: aliases
                      when they can be bound, else single)
  --no-lab-gateways   run no MGW gateway cluster in the lab (by default a lab on aliases of its own
                      runs one at <prefix>.0.x: 3 nodes, the router, 3 backends)
  --rotate-tokens     issue new viewer/operator/admin tokens
  --poll-interval-ms N  time between SNMP polls of one device (default 30000)
  --trap-port N       UDP port of the SNMP trap/inform receiver on --bind (default 16162; 0 picks one)
  --no-traps          start no trap receiver
  --public-url URL    where workflow callback URLs point (default: the served URL; set it when
                      --bind is 0.0.0.0 or a proxy fronts FleetDeck)
  --pxe-hook URL      a configured fleet's PXE hook: os.install POSTs {action: stage|unstage, ...}
                      there (FLEETDECK_PXE_TOKEN: its bearer token); absent, os.install needs the lab
  --agent-listen A:P  where fleet agents dial in over TLS 1.3 (default: --bind, a free port; set a
                      fixed port so agents deployed before a restart find the console after it)
  --agent-advertise A:P  the address deployed agents are told to dial (default: --agent-listen)
  --agent-releases DIR  more agent releases to deploy: DIR/<version>/agent.js and agent-supervise.js
                      (the built-in one is resources/daemons)
  --agent-runtime FILE  the Node runtime shipped to hosts once (a Linux x86_64 node; default this node)
  --no-call-budget    benchmarks only: no per-connection rate or queue limit (calls still start in turn)
Environment: FLEETDECK_PASSPHRASE derives the credential key from a passphrase instead of a key file.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8420' },
      bind: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: '.fleetdeck' },
      'key-file': { type: 'string' },
      'no-lab': { type: 'boolean', default: false },
      'no-lab-gateways': { type: 'boolean', default: false },
      'lab-devices': { type: 'string' },
      'lab-agents': { type: 'string', default: '0' },
      'lab-prefix': { type: 'string' },
      'lab-loopback': { type: 'string', default: 'auto' },
      'rotate-tokens': { type: 'boolean', default: false },
      'poll-interval-ms': { type: 'string' },
      'trap-port': { type: 'string', default: '16162' },
      'no-traps': { type: 'boolean', default: false },
      'no-call-budget': { type: 'boolean', default: false },
      'public-url': { type: 'string' },
      'pxe-hook': { type: 'string' },
      'agent-listen': { type: 'string' },
      'agent-advertise': { type: 'string' },
      'agent-releases': { type: 'string' },
      'agent-runtime': { type: 'string' },
      'static-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}"`);
  const dataDir = resolve(values['data-dir']!);
  const passphrase = process.env.FLEETDECK_PASSPHRASE;
  const secretKey = passphrase
    ? keyFromPassphrase(passphrase, loadOrCreateSalt(join(dataDir, 'passphrase.salt')))
    : loadOrCreateKeyFile(values['key-file'] ?? join(dataDir, 'secret.key'));
  const staticDir = values['static-dir'] ?? join(here, '../renderer');
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error(`No built renderer at ${staticDir}: run npm run build first`);
  const labDevices = values['lab-devices'] ? Number(values['lab-devices']) : undefined;
  const labAgents = Number(values['lab-agents']);
  if (!Number.isInteger(labAgents) || labAgents < 0) throw new Error(`--lab-agents must be a whole number, got "${values['lab-agents']}"`);
  const labLoopback = values['lab-loopback'];
  if (labLoopback !== 'aliases' && labLoopback !== 'single' && labLoopback !== 'auto') {
    throw new Error(`--lab-loopback must be aliases, single or auto, got "${labLoopback}"`);
  }

  const hostPort = (flag: string, v: string | undefined, fallbackHost: string): { host: string; port: number } | undefined => {
    if (v === undefined) return undefined;
    const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(v);
    if (!m || Number(m[2]) > 65535) throw new Error(`--${flag} must be ADDRESS:PORT, got "${v}"`);
    return { host: m[1].replace(/^\[|\]$/g, '') || fallbackHost, port: Number(m[2]) };
  };
  const agentListen = hostPort('agent-listen', values['agent-listen'], values.bind!) ?? { host: values.bind!, port: 0 };
  const agentAdvertise = hostPort('agent-advertise', values['agent-advertise'], values.bind!);
  const agentReleases = values['agent-releases'] === undefined ? undefined : resolve(values['agent-releases']);
  if (agentReleases !== undefined && !existsSync(agentReleases)) throw new Error(`--agent-releases: no folder ${agentReleases}`);
  let agentRuntime = values['agent-runtime'] === undefined ? undefined : resolve(values['agent-runtime']);
  if (agentRuntime !== undefined && !existsSync(agentRuntime)) throw new Error(`--agent-runtime: no file ${agentRuntime}`);
  // --lab-agents deploys to lab hosts, which run the agent code in the lab process and never the
  // shipped runtime: a small stand-in saves shipping ~120 MB of node to each (and the minute of
  // noise it puts in the probe matrix), unless --agent-runtime names one.
  if (agentRuntime === undefined && labAgents > 0 && !values['no-lab']) agentRuntime = labRuntimeStandIn(dataDir);
  const pxeHook = values['pxe-hook'];
  if (pxeHook !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/i.test(pxeHook)) throw new Error(`--pxe-hook must be an http(s) URL, got "${pxeHook}"`);
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/i.test(publicUrl)) throw new Error(`--public-url must be an http(s) URL, got "${publicUrl}"`);
  // Callback steps ask at each attempt; with --port 0 the URL is known once the server listens.
  let served: string | null = port ? `http://${values.bind!.includes(':') ? `[${values.bind}]` : values.bind}:${port}/` : null;

  const t0 = Date.now();
  const core = await createCore({
    storePath: join(dataDir, 'fleetdeck.db'),
    secretKey,
    lab: values['no-lab']
      ? false
      : { entry: join(here, 'lab.js'), size: labDevices ? { devices: labDevices } : undefined, addressPrefix: values['lab-prefix'], loopback: labLoopback, stateFile: join(dataDir, 'lab-state.json'), gateways: !values['no-lab-gateways'], daemonsDir: join(here, '../../resources/daemons') },
    poller: values['poll-interval-ms'] ? { intervalMs: Number(values['poll-interval-ms']) } : undefined,
    traps: values['no-traps'] ? undefined : { address: values.bind, port: Number(values['trap-port']) },
    workflows: { callbackBaseUrl: () => publicUrl ?? served, pxeHook: pxeHook ? { url: pxeHook, token: process.env.FLEETDECK_PXE_TOKEN } : undefined },
    agents: { listen: agentListen, advertise: agentAdvertise, bundleDir: join(here, '../../resources/daemons'), releasesDir: agentReleases, runtimePath: agentRuntime },
    log: (line) => console.log(`[core] ${line}`),
  });
  const unlimited = { ratePerSec: Infinity, burst: Infinity, maxInFlight: Infinity, maxQueued: Infinity };
  const server = await startServeServer({ core, staticDir, bind: values.bind!, port, budget: values['no-call-budget'] ? unlimited : undefined });
  served = server.url;
  if (!publicUrl && /^(0\.0\.0\.0|::)$/.test(values.bind!)) console.log(`warning: workflow callback URLs point at ${server.url}: set --public-url to an address the callers can reach`);
  if (values['no-call-budget']) console.log('warning: --no-call-budget: one client can starve the others');
  console.log(`FleetDeck serving ${server.url}`);
  if (values['rotate-tokens'] || !core.auth.hasTokens()) {
    for (const t of core.auth.rotateTokens()) console.log(`token ${t.role}: ${t.token}`);
    console.log('(tokens are stored hashed: note them now; --rotate-tokens issues new ones)');
  } else {
    console.log('tokens unchanged since the last start (stored hashed); run with --rotate-tokens to issue new ones');
  }
  console.log(`ready in ${Date.now() - t0} ms`);
  if (labAgents > 0 && !values['no-lab']) await deployLabAgents(core, labAgents, (line) => console.log(`[serve] ${line}`)).catch((err: Error) => console.log(`[serve] lab agents: ${err.message}`));

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await server.close();
    await core.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`fleetdeck serve: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
