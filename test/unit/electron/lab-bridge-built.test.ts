// The built desktop lab entry (out/main/lab-utility.js, beside lab.js) run the way the main
// process runs it, under plain Node: a child made to look like a utilityProcess (no
// process.send, messages on process.parentPort: fixtures/utility-process-preload.mjs),
// started through the lab bridge, must speak the lab-link protocol. Needs `npm run build`
// (npm test builds before vitest); skipped with the reason when out/ has not been built.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startLab, type LabLink } from '../../../src-main/core/lab-link/lab-link';
import { createLabBridgeHost } from '../../../src-main/electron/lab-bridge-host';
import { createLabBridgeMain } from '../../../src-main/electron/lab-bridge-main';
import { ForkedUtility } from '../../support/forked-utility';

const ROOT = resolve(__dirname, '../../..');
const LAB_ENTRY = join(ROOT, 'out/main/lab.js');
const LAB_UTILITY = join(ROOT, 'out/main/lab-utility.js');
const PRELOAD = pathToFileURL(join(__dirname, 'fixtures/utility-process-preload.mjs')).href;
const built = existsSync(LAB_UTILITY) && existsSync(LAB_ENTRY);


let lab: LabLink | undefined;
afterEach(async () => {
  await lab?.dispose();
  lab = undefined;
});

describe.skipIf(!built)(`the built lab utility entry${built ? '' : ' (skipped: out/main/lab-utility.js not built; run npm run build)'}`, () => {
  it('runs lab.js with fork-style IPC over parentPort, through the bridge', async () => {
    const forked: ForkedUtility[] = [];
    const lines: string[] = [];
    const toMain = (m: unknown) => setImmediate(() => main.handle(structuredClone(m)));
    const toHost = (m: unknown) => setImmediate(() => host.handle(structuredClone(m)));
    const host = createLabBridgeHost(toMain);
    const main = createLabBridgeMain({
      entry: LAB_ENTRY,
      fork: () => {
        const u = new ForkedUtility(LAB_UTILITY, ['--import', PRELOAD]);
        forked.push(u);
        return u;
      },
      post: toHost,
      log: () => {},
    });
    lab = await startLab({ entry: LAB_ENTRY, start: host.start, seed: 7, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 20 }, addressPrefix: '127.33', snmpPort: 16873 }, (l) => lines.push(l));
    expect(lab.inventory.devices).toHaveLength(20);
    expect(await lab.status()).toMatchObject({ running: true, devices: 20 });
    const exited = lab.exited;
    await lab.dispose();
    lab = undefined;
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(forked[0]!.child.exitCode).toBe(0);
    expect(lines.join('\n')).not.toMatch(/no parentPort|must be started with child_process\.fork/);
  });
});
