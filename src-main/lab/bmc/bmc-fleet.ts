// Many lab BMCs in one process: one UDP socket per BMC address (each lab server has its
// own loopback BMC address), one shared timer for the threshold checks instead of one per
// BMC, started in batches so thousands of binds do not stall the event loop. A BMC costs a
// socket, its state object and its SEL (SDRs are shared by every BMC of the same PSU size).
import { createBmcSimulator, type BmcSimulator, type BmcSimulatorOptions } from './bmc-simulator';

export interface BmcFleetOptions {
  bmcs: readonly Omit<BmcSimulatorOptions, 'tickMs'>[];
  /** Threshold-check period for the whole fleet (default 10 s). */
  tickMs?: number;
  /** Binds in flight at once while starting (default 256). */
  startBatch?: number;
}

export interface BmcFleet {
  readonly size: number;
  /** By "address:port". */
  get(address: string, port: number): BmcSimulator | undefined;
  all(): IterableIterator<BmcSimulator>;
  /** Starts every BMC; the ones whose bind failed are reported, not thrown. */
  start(): Promise<{ started: number; failed: { address: string; port: number; error: string }[] }>;
  stop(): Promise<void>;
}

export function createBmcFleet(o: BmcFleetOptions): BmcFleet {
  const sims = new Map<string, BmcSimulator>();
  for (const spec of o.bmcs) sims.set(`${spec.address}:${spec.port}`, createBmcSimulator({ ...spec, tickMs: 0 }));
  let ticker: NodeJS.Timeout | undefined;

  return {
    get size() {
      return sims.size;
    },
    get: (address, port) => sims.get(`${address}:${port}`),
    all: () => sims.values(),
    async start() {
      const list = [...sims.values()];
      const failed: { address: string; port: number; error: string }[] = [];
      const batch = o.startBatch ?? 256;
      for (let i = 0; i < list.length; i += batch) {
        await Promise.all(list.slice(i, i + batch).map((s) => s.start().catch((err: unknown) => {
          failed.push({ address: s.address, port: s.port, error: err instanceof Error ? err.message : String(err) });
        })));
      }
      if (!ticker) {
        ticker = setInterval(() => {
          for (const s of sims.values()) if (s.running) s.tick();
        }, o.tickMs ?? 10_000);
        ticker.unref();
      }
      return { started: list.length - failed.length, failed };
    },
    async stop() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      await Promise.all([...sims.values()].map((s) => s.stop()));
    },
  };
}
