// What createCore is given: the store path and key, the lab or none, poller, trap receiver, retention and workflow settings.
import type { AgentConfig } from '../../src-shared/agent-protocol/messages';
import type { WfTemplate } from '../../src-shared/domain/workflow';
import type { LabLoopback, LabSize } from '../../src-shared/lab-protocol';
import type { MgwCluster } from '../../src-shared/mgw/config';

export interface LabConfig {
  /** Path of the lab process entry (built .js, or .ts run through tsx in tests). */
  entry: string;
  seed?: number;
  size?: Partial<LabSize>;
  snmpPort?: number;
  addressPrefix?: string;
  /** aliases (127.16.x.y), single (127.0.0.1, a port per device), or auto (default): aliases when they can be bound. */
  loopback?: LabLoopback;
  /**
   * Where the lab keeps what happened to its hosts (installs, BMC power and boot flags) over a
   * restart of the console: lab-state.json beside the store. Absent: the lab starts factory-fresh.
   */
  stateFile?: string;
  /**
   * Run the lab's MGW gateway cluster (lab-link/lab-gateways.ts, at <prefix>.0.x) when the lab is on
   * aliases of its own: serve mode asks for it; absent (tests, and the desktop, whose core host
   * cannot run node: lab-gateways.ts resolveLabDaemons): none.
   */
  gateways?: boolean;
  /** The daemon bundles (mgw.js, agent.js) that cluster runs; absent: resources/daemons, else the sources through tsx. */
  daemonsDir?: string;
}

export interface PollerConfig {
  /** Time between polls of one device. */
  intervalMs?: number;
  /** Requests in flight at once, fleet-wide. */
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
}

export interface WorkflowsConfig {
  /**
   * Where workflow callback URLs point (`<base>/wf/callback/<token>`): serve mode's own URL or
   * its --public-url; a function is asked at each attempt. Absent or null: this core takes no
   * inbound HTTP (the desktop): callback steps get no URL, and a launch whose callback step
   * has no poll check is refused naming the step.
   */
  callbackBaseUrl?: string | null | (() => string | null);
  /** Tool calls in flight across all runs (default 64). */
  maxConcurrent?: number;
  /**
   * A configured fleet's PXE hook (provisioning/http-pxe.ts): os.install stages and takes back
   * installs there. Absent: only the lab's PXE stand-in stages installs.
   */
  pxeHook?: { url: string; token?: string; timeoutMs?: number };
  /** Templates shipped beside the built-in ones (saved as version 1 when absent). */
  templates?: readonly WfTemplate[];
  /**
   * How long a finished run (succeeded, failed, revoked) stays in the journal, in ms after it
   * finished (default 180 days); older ones are deleted with their tasks, attempts, log lines,
   * events and sent outbox rows, hourly and once at start. Open runs and unsent outbox rows
   * are never deleted. Statistics cover what is kept. Infinity keeps every run.
   */
  retentionMs?: number;
}

export interface AgentsConfig {
  /** Where agents dial in over TLS 1.3 (default 127.0.0.1, an ephemeral port); false: no agent server. */
  listen?: { host: string; port: number } | false;
  /** What agents collect and how often (defaults: agents-capability.ts DEFAULT_AGENT_CONFIG). */
  collect?: Partial<AgentConfig>;
  /** Results older than this are pruned (default 7 days). */
  resultRetentionMs?: number;
  /** Raw probe and route results older than this are pruned (default 6 h; their minute aggregates stay). */
  probeResultRetentionMs?: number;
  /**
   * Where deployed agents dial the console (written into their agent.json). Default: the
   * listener's address, unless it listens on every address (0.0.0.0, ::), which hosts cannot dial.
   */
  advertise?: { host: string; port: number };
  /** The built-in agent release: agent.js and agent-supervise.js (default resources/daemons under the working directory). */
  bundleDir?: string;
  /** More releases to deploy: <releasesDir>/<version>/agent.js and agent-supervise.js. */
  releasesDir?: string;
  /** The Node runtime shipped to hosts once (a Linux x86_64 node binary); default this process's node when it is plain Node on Linux x86_64. */
  runtimePath?: string;
}

/** The probe matrix: what agents probe and how the console aggregates it. */
export interface ProbesConfig {
  /** The ports of every agent's responders (default TCP 16701, UDP 16702). */
  responder?: { tcpPort: number; udpPort: number };
  /** Per Pingmesh level, between two probes of a pair (defaults 10 s, 30 s, 60 s). */
  intervalsMs?: { intraTor: number; interTor: number; interSite: number };
  /** Probe kinds per pair (default TCP). */
  kinds?: ('tcp' | 'udp' | 'icmp')[];
  /** DNS resolvers every host probes (anycast addresses), by id. */
  resolvers?: { id: string; addr: string; port?: number }[];
  /** Public network targets (per province and carrier) the site delegates probe. */
  publicTargets?: { id: string; addr: string; port?: number; kind: 'tcp' | 'udp' | 'icmp' }[];
  /** Paris traceroutes per host (default 2, every 5 min, 16 hops). */
  traceroute?: { perHost: number; intervalMs: number; maxHops: number } | false;
  /** A minute is stored once results for it can no longer come (default 25 s after it ends). */
  graceMs?: number;
  /** false: no probe plans are sent (agents probe nothing). */
  enabled?: boolean;
}

export interface CoreConfig {
  /** SQLite file; ':memory:' for throwaway cores in tests. */
  storePath: string;
  /** better-sqlite3 addon built for the running runtime (Electron); Node's own build when absent. */
  sqliteNativeBinding?: string;
  /** 32-byte key that encrypts credentials at rest (AES-256-GCM). Never logged. */
  secretKey: Buffer;
  /** With no configured fleet, a lab is started. Set to false to start none. */
  lab?: LabConfig | false;
  poller?: PollerConfig;
  /** BMC sensor poller: every server's BMC read on a slow schedule (default 60 s, 24 BMCs in flight); false: none. */
  bmcSensors?: { intervalMs?: number; concurrency?: number } | false;
  /**
   * SNMP trap and inform receiver (v1, v2c, v3). Communities and v3 users are those of the
   * credential store. Absent: no receiver.
   */
  traps?: { address?: string; port: number };
  /** Time-series retention in ms for raw samples and rollups. */
  retention?: { rawMs?: number; minuteMs?: number; hourMs?: number };
  workflows?: WorkflowsConfig;
  /** Fleet agents: the TLS listener they dial, what they collect. */
  agents?: AgentsConfig;
  /** The probe matrix's pinglists and aggregation. */
  probes?: ProbesConfig;
  /**
   * Alarm evaluation (src-main/core/alarms): its period (default 10 s), when a metric sample is
   * stale (default 5 min) and how long alarm history is kept (default 90 days; 0: for ever).
   */
  alarms?: { intervalMs?: number; staleMs?: number; historyMs?: number };
  /**
   * Reports (src-main/core/reports): the folder generated files go into (default `reports`
   * beside the store's file), the time zone report days and the daily schedule are local to
   * (default the process's), and the schedule's check period (default 30 s).
   */
  reports?: { folder?: string; timeZone?: string; tickMs?: number };
  /**
   * MGW gateway clusters to watch (src-main/core/gateways): each cluster's config (as its nodes
   * run it) and its control API's bearer token; scraped every intervalMs (default 2 s).
   */
  gateways?: { clusters: readonly { cluster: MgwCluster; token: string }[]; intervalMs?: number };
  log?: (line: string) => void;
}
