// One agent: its collectors on their own timers into the on-disk result buffer, its hard
// caps on itself, and its link to the console. Probe timing never depends on the console:
// ticks are scheduled against the start time (tick k at start + k x interval, a missed tick
// skipped rather than bunched), collection appends to the buffer, and the link uploads
// whatever the buffer holds when the console lets it. Over a cap the agent collects nothing
// but its status (which says why) until the monitor releases it. The configuration the
// console sends (welcome, config) is kept in the state dir, so a restart with no console
// collects what it was last told. With a probe plan in the config (config.probes) the probe
// engine (probe/engine.ts) runs the agent's responders and probes its pinglist, its results
// going into the same buffer; it pauses its probes while the agent is over a cap. A library: the daemon's main.ts runs one, the lab runs many
// in one process (each with its own state dir and collectors).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { agentConfig, type AgentConfig, type AgentResultData } from '../../src-shared/agent-protocol/messages';
import { openResultBuffer, type ResultBuffer } from './buffer';
import { createSelfMonitor, type SelfMonitor, type SelfUsage } from './caps';
import { createInventoryCollector, type InventoryCollector } from './collect/inventory';
import { createMetricsCollector, type MetricsCollector } from './collect/metrics';
import { createProcessCollector, type ProcessCollector } from './collect/processes';
import { startLink, type Link, type LinkState } from './link';
import { startProbeEngine, type ProbeEngine, type ProbeEngineOptions } from './probe/engine';

export interface AgentOptions {
  readonly agentId: string;
  readonly version: string;
  readonly hostname: string;
  readonly console: { readonly host: string; readonly port: number; readonly fingerprint256: string };
  readonly key: KeyObject;
  readonly stateDir: string;
  /** Until the console says otherwise (and no earlier config is kept). */
  readonly config: AgentConfig;
  readonly buffer?: { readonly maxBytes?: number; readonly maxAgeMs?: number; readonly fsync?: boolean };
  readonly collectors?: { readonly metrics?: MetricsCollector; readonly processes?: ProcessCollector; readonly inventory?: InventoryCollector };
  /** The agent's own usage (the lab gives each identity its share). */
  readonly usage?: () => SelfUsage;
  /** Per process name, its figures hook URL (http://127.0.0.1:<port>/...). */
  readonly hooks?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
  readonly onLinkState?: (s: LinkState) => void;
  readonly linkBackoffMs?: { readonly min: number; readonly max: number; readonly refused: number };
  /** The probe engine's injectable pieces (the lab's network model, tool paths). */
  readonly probe?: Pick<ProbeEngineOptions, 'net' | 'dgram' | 'fping' | 'traceroute' | 'maxInFlight'>;
}

export interface Agent {
  readonly buffer: ResultBuffer;
  readonly config: AgentConfig;
  readonly link: Link;
  /** Ticks run so far (metrics+process+status), and those skipped over a cap. */
  readonly ticks: { readonly run: number; readonly capped: number };
  /** The probe engine (idle while the config has no probe plan). */
  readonly probes: ProbeEngine;
  stop(): Promise<void>;
}

const CONFIG_FILE = 'console-config.json';

export function startAgent(o: AgentOptions): Agent {
  const log = o.log ?? (() => {});
  const buffer = openResultBuffer({ dir: path.join(o.stateDir, 'buffer'), maxBytes: o.buffer?.maxBytes, maxAgeMs: o.buffer?.maxAgeMs, fsync: o.buffer?.fsync });
  const metrics = o.collectors?.metrics ?? createMetricsCollector();
  const processes = o.collectors?.processes ?? createProcessCollector();
  const inventory = o.collectors?.inventory ?? createInventoryCollector();
  let config = readKeptConfig(o.stateDir) ?? o.config;
  let monitor: SelfMonitor = createSelfMonitor({ maxCpuPct: config.maxCpuPct, maxRssBytes: config.maxRssBytes, usage: o.usage });
  const ticks = { run: 0, capped: 0 };
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let invTimer: NodeJS.Timeout | null = null;
  let busy = false;

  const append = (data: AgentResultData, at = Date.now()): void => {
    if (stopped) return;
    buffer.append(data, at);
    link.kick();
  };
  const probes = startProbeEngine({ agentId: o.agentId, append, log, allowed: () => monitor.state === 'ok', ...o.probe });
  const applyProbes = (): void => {
    probes.setPlan(config.probes).catch((err: Error) => log(`agent: the probe plan could not be applied: ${err.message}`));
  };

  const tick = async (): Promise<void> => {
    if (busy) return; // the last tick still collecting (a slow disk): skip, never pile up
    busy = true;
    try {
      const self = monitor.sample();
      if (self.state === 'ok') {
        ticks.run++;
        append(await metrics.sample());
        for (const p of await processes.sample(config.processes, o.hooks)) append(p);
      } else {
        ticks.capped++;
      }
      append({ kind: 'status', state: self.state, cpuPct: self.cpuPct, rssBytes: self.rssBytes, bufferDepth: buffer.depth, bufferBytes: buffer.bytes, dropped: buffer.dropped });
    } catch (err) {
      log(`agent: collecting failed: ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  };

  const collectInventory = async (): Promise<void> => {
    if (monitor.state !== 'ok') return;
    try {
      append(fitInventory(await inventory.sample(config.files), log));
    } catch (err) {
      log(`agent: inventory failed: ${(err as Error).message}`);
    }
  };

  /** Ticks at start + k x interval: a slow tick or a stalled event loop skips ticks, never shifts them. */
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    const start = Date.now();
    let k = 0;
    const next = (): void => {
      if (stopped) return;
      k = Math.max(k + 1, Math.floor((Date.now() - start) / config.intervalMs) + 1);
      timer = setTimeout(() => {
        void tick();
        next();
      }, start + k * config.intervalMs - Date.now());
    };
    void tick();
    next();
    if (invTimer) clearInterval(invTimer);
    void collectInventory();
    invTimer = setInterval(() => void collectInventory(), config.inventoryIntervalMs);
  };

  const onConfig = (c: AgentConfig): void => {
    const same = JSON.stringify(c) === JSON.stringify(config);
    if (same) return;
    const reschedule = c.intervalMs !== config.intervalMs || c.inventoryIntervalMs !== config.inventoryIntervalMs;
    config = c;
    keepConfig(o.stateDir, c, log);
    monitor = createSelfMonitor({ maxCpuPct: c.maxCpuPct, maxRssBytes: c.maxRssBytes, usage: o.usage });
    if (reschedule && !stopped) schedule();
    if (!stopped) applyProbes();
  };

  const link = startLink({
    host: o.console.host, port: o.console.port, pinnedFingerprint256: o.console.fingerprint256, agentId: o.agentId, agentVersion: o.version,
    hostname: o.hostname, key: o.key, buffer, onConfig, onState: o.onLinkState, log, backoffMs: o.linkBackoffMs,
  });
  schedule();
  applyProbes();

  return {
    buffer,
    get config() {
      return config;
    },
    link,
    ticks,
    probes,
    stop: async () => {
      if (timer) clearTimeout(timer);
      if (invTimer) clearInterval(invTimer);
      await probes.stop(); // its last samples go into the buffer
      stopped = true;
      if (timer) clearTimeout(timer);
      if (invTimer) clearInterval(invTimer);
      await link.close();
      buffer.close();
    },
  };
}

/** Room for an inventory result inside one protocol frame (1 MiB), with the batch's framing. */
const INVENTORY_BUDGET = 900 * 1024;

/** An inventory result cut to fit a frame: packages beyond the budget are counted, not sent. */
export function fitInventory<T extends { kind: 'inventory'; packages: readonly unknown[]; packagesOmitted?: number }>(data: T, log: (line: string) => void = () => {}): T & { packagesOmitted?: number } {
  let size = JSON.stringify(data).length;
  if (size <= INVENTORY_BUDGET) return data;
  let keep = data.packages.length;
  while (keep > 0 && size > INVENTORY_BUDGET) {
    keep = Math.floor((keep * INVENTORY_BUDGET) / size * 0.95);
    size = JSON.stringify({ ...data, packages: data.packages.slice(0, keep) }).length;
  }
  log(`agent: the inventory lists ${data.packages.length} packages; ${keep} are sent, ${data.packages.length - keep} counted as omitted (one frame is 1 MiB)`);
  return { ...data, packages: data.packages.slice(0, keep), packagesOmitted: data.packages.length - keep };
}

function readKeptConfig(dir: string): AgentConfig | null {
  try {
    const kept = agentConfig.safeParse(JSON.parse(readFileSync(path.join(dir, CONFIG_FILE), 'utf8')));
    return kept.success ? kept.data : null;
  } catch {
    return null;
  }
}

function keepConfig(dir: string, c: AgentConfig, log: (line: string) => void): void {
  const file = path.join(dir, CONFIG_FILE);
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(c));
    renameSync(`${file}.tmp`, file);
  } catch (err) {
    log(`agent: could not keep the console's config: ${(err as Error).message}`);
  }
}
