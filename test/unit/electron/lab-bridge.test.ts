// The desktop's lab as a utilityProcess, under plain Node: lab-link's starter in the core
// host (lab-bridge-host) asks the main process's bridge (lab-bridge-main) for the lab, over
// an in-memory channel that structured-clones every message as parentPort would; the
// utilityProcess is stood in for by child_process.fork of the real lab entry (tsx).
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startLab, type LabLink } from '../../../src-main/core/lab-link/lab-link';
import { createLabBridgeHost, withLabStarter } from '../../../src-main/electron/lab-bridge-host';
import { createLabBridgeMain, type UtilityLike } from '../../../src-main/electron/lab-bridge-main';
import { ForkedUtility } from '../../support/forked-utility';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
const SMALL = { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 20 };
const scratch = mkdtempSync(join(tmpdir(), 'fd-lab-bridge-'));


interface Rig {
  host: ReturnType<typeof createLabBridgeHost>;
  main: ReturnType<typeof createLabBridgeMain>;
  forked: ForkedUtility[];
  logs: string[];
}

/** Host and main bridges joined as core-host.ts and main.ts join them; fork() starts `entry`. */
function rig(entry = LAB_ENTRY): Rig {
  const forked: ForkedUtility[] = [];
  const logs: string[] = [];
  // Both directions are asynchronous and structured-cloned, as over a parentPort.
  const toMain = (m: unknown) => setImmediate(() => r.main.handle(structuredClone(m)));
  const toHost = (m: unknown) => setImmediate(() => r.host.handle(structuredClone(m)));
  const r: Rig = {
    host: createLabBridgeHost(toMain),
    main: createLabBridgeMain({
      entry: LAB_ENTRY,
      fork: () => {
        const u = new ForkedUtility(entry, entry.endsWith('.ts') ? ['--import', 'tsx'] : []);
        forked.push(u);
        return u;
      },
      post: toHost,
      log: (line) => logs.push(line),
      outputDrainMs: 500,
    }),
    forked,
    logs,
  };
  return r;
}

let lab: LabLink | undefined;
afterEach(async () => {
  await lab?.dispose();
  lab = undefined;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the lab bridge (desktop: the lab as a utilityProcess of the main process)', () => {
  it('starts the lab through the main process and carries the lab-link protocol both ways', async () => {
    const r = rig();
    const lines: string[] = [];
    lab = await startLab({ entry: LAB_ENTRY, start: r.host.start, seed: 5, size: SMALL, addressPrefix: '127.31', snmpPort: 16871 }, (l) => lines.push(l));
    expect(r.forked).toHaveLength(1);
    expect(lab.pid).toBe(r.forked[0]!.pid);
    expect(lab.inventory.devices).toHaveLength(20);
    expect(lab.credentials.ssh.username).toBe('fleetdeck');
    expect(lines.some((l) => l.includes('SNMP agents up'))).toBe(true);

    const before = await lab.status();
    expect(before).toMatchObject({ running: true, devices: 20, deadDevices: [] });
    const victim = lab.inventory.devices.find((d) => d.kind === 'server')!.id;
    expect((await lab.fault({ kind: 'kill-device', deviceId: victim })).deadDevices).toEqual([victim]);

    const exited = lab.exited;
    await lab.dispose();
    lab = undefined;
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(r.forked[0]!.child.exitCode).toBe(0);
  });

  it('refuses an entry other than its own, and never forks', async () => {
    const r = rig();
    await expect(startLab({ entry: join(scratch, 'elsewhere.js'), start: r.host.start })).rejects.toThrow(/refused to start .*elsewhere\.js/);
    expect(r.forked).toHaveLength(0);
  });

  it('relays the output of a lab that dies while starting, before its exit', async () => {
    const dying = join(scratch, 'dying-lab.mjs');
    writeFileSync(dying, "console.error('Error: cannot bind 127.31.0.1:16871 (EADDRINUSE)'); process.exit(3);\n");
    const r = rig(dying);
    await expect(startLab({ entry: LAB_ENTRY, start: r.host.start }, () => {})).rejects.toThrow(/exited before it was ready \(code 3, signal null\): Error: cannot bind/);
  });

  it('ends the labs of a core host that has gone', async () => {
    const r = rig();
    lab = await startLab({ entry: LAB_ENTRY, start: r.host.start, seed: 6, size: SMALL, addressPrefix: '127.32', snmpPort: 16872 });
    r.main.dispose();
    expect(await lab.exited).toEqual({ code: 0, signal: null });
    expect(r.logs.join('\n')).toMatch(/core host is gone; stopping lab 1/);
    await expect(lab.status()).rejects.toThrow(/not running|exited/);
  });

  it('queues what the host sends before the lab has spawned', () => {
    const posted: unknown[] = [];
    const fake = Object.assign(new EventEmitter(), { pid: 4242, stdout: null, stderr: null, postMessage: (m: unknown) => posted.push(m), kill: () => true });
    const main = createLabBridgeMain({ entry: 'lab.js', fork: () => fake as unknown as UtilityLike, post: () => {}, log: () => {} });
    expect(main.handle({ type: 'lab-start', lab: 1, entry: 'lab.js' })).toBe(true);
    expect(main.handle({ type: 'lab-send', lab: 1, message: { type: 'status', id: 1 } })).toBe(true);
    expect(posted).toEqual([]);
    fake.emit('spawn');
    expect(posted).toEqual([{ type: 'status', id: 1 }]);
    expect(main.handle({ type: 'call', id: 1 })).toBe(false); // core-host-protocol's, not the bridge's
  });

  it('gives createCore a lab config that starts through the bridge, and leaves "no lab" alone', () => {
    const host = createLabBridgeHost(() => {});
    const base = { storePath: ':memory:', secretKey: Buffer.alloc(32, 1) };
    const withLab = withLabStarter({ ...base, lab: { entry: 'lab.js', seed: 2 } }, host.start);
    expect(withLab.lab).toMatchObject({ entry: 'lab.js', seed: 2, start: host.start });
    expect(withLabStarter({ ...base, lab: false }, host.start).lab).toBe(false);
    expect(withLabStarter(base, host.start).lab).toBeUndefined();
  });
});
