// Entry of the lab fleet child process. The core forks this file and talks to it only with
// the CoreToLab / LabToCore messages; the core reaches the peers it starts over SNMP, IPMI and SSH.
// FLEETDECK_LAB_SINGLE_PORT_BASE moves single mode's port plan when the start options do not
// (tests, so that they never meet a lab running on the default plan on the same machine).
import type { CoreToLab, LabToCore } from '../../src-shared/lab-protocol';
import { startLabFleet, type LabFleet } from './lab-fleet';

// When the core dies (kill -9), its ends of the IPC channel and of our stdout/stderr pipes are
// closed before the 'disconnect' event is seen: a reply or a log line written then fails with
// EPIPE. Those failures are dropped here. Left as 'error' events they were uncaught exceptions
// whose handler reported them through the same broken channel, failing again: a loop at 100%
// CPU that starved the shutdown, so the lab of a killed serve never exited.
const send = (msg: LabToCore): void => {
  if (process.connected) process.send?.(msg, undefined, undefined, () => {});
};
for (const out of [process.stdout, process.stderr]) {
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

let fleet: LabFleet | null = null;
let starting: Promise<LabFleet> | null = null;
let stopping: Promise<never> | null = null;

/** Closes every agent, then exits. Idempotent: later calls wait for the first. */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    try {
      const f = fleet ?? (await starting?.catch(() => null)) ?? null;
      await f?.close();
    } catch (err) {
      process.stderr.write(`lab: error while closing: ${String(err)}\n`);
    }
    process.exit(code);
  })();
  return stopping;
}

async function onMessage(msg: CoreToLab): Promise<void> {
  switch (msg.type) {
    case 'start': {
      if (starting) return send({ type: 'error', message: 'lab: already started' });
      const base = process.env.FLEETDECK_LAB_SINGLE_PORT_BASE;
      const options = base && msg.options.singlePortBase === undefined ? { ...msg.options, singlePortBase: Number(base) } : msg.options;
      starting = startLabFleet(options, undefined, { log: (line) => process.stdout.write(`${line}\n`) });
      try {
        fleet = await starting;
      } catch (err) {
        send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
        return void shutdown(1);
      }
      return send({ type: 'ready', inventory: fleet.inventory, agents: fleet.agents, startMs: Math.round(fleet.startMs), credentials: fleet.credentials });
    }
    case 'fault': {
      if (!fleet) return send({ type: 'error', id: msg.id, message: 'lab: not started' });
      try {
        return send({ type: 'status', id: msg.id, status: await fleet.fault(msg.fault) });
      } catch (err) {
        return send({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
      }
    }
    case 'install-profile': {
      if (!fleet) return send({ type: 'error', id: msg.id, message: 'lab: not started' });
      try {
        return send({ type: 'status', id: msg.id, status: await fleet.setInstallProfile(msg.deviceId, msg.profile) });
      } catch (err) {
        return send({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
      }
    }
    case 'status':
      if (!fleet) return send({ type: 'error', id: msg.id, message: 'lab: not started' });
      return send({ type: 'status', id: msg.id, status: fleet.status() });
    case 'traps':
      fleet?.setTrapTarget(msg.target);
      return;
    case 'stop':
      return void shutdown(0);
    default:
      return send({ type: 'error', message: `lab: unknown message ${JSON.stringify(msg)}` });
  }
}

if (!process.send) {
  process.stderr.write('lab-process: must be started with child_process.fork (no IPC channel)\n');
  process.exit(2);
}
process.on('message', (msg) => void onMessage(msg as CoreToLab));
// The core went away (crash, kill, or dispose): take every socket down with us.
process.on('disconnect', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.on('uncaughtException', (err) => {
  process.stderr.write(`lab: uncaught ${err.stack ?? String(err)}\n`);
  send({ type: 'error', message: `lab crashed: ${err.message}` });
  void shutdown(1);
});
