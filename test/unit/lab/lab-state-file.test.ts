// The lab's state file (src-main/lab/memory/): a document written and read back whole; the
// write is atomic (a write that fails leaves the previous file as it was and no temp file);
// a file that is not JSON, of another format or version, of another lab, or naming devices the
// lab does not have is refused with a log line that says which file and why, is moved aside,
// and the lab starts factory-fresh; writes are coalesced to one per turn and stop at close.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLabMemory } from '../../../src-main/lab/memory/lab-memory';
import { LAB_STATE_FORMAT, LAB_STATE_VERSION, readLabStateFile, writeLabStateFile, type LabStateDocument } from '../../../src-main/lab/memory/state-file';

const OWNER = { seed: 7, devices: 3, has: (id: string) => ['srv-1', 'srv-2', 'pdu-1'].includes(id) };

const DOC: LabStateDocument = {
  format: LAB_STATE_FORMAT,
  version: LAB_STATE_VERSION,
  lab: { seed: 7, devices: 3 },
  savedAt: 1_700_000_000_000,
  identities: { 'srv-1': { hostname: 'db-01', template: 'rocky-9', generation: 2 } },
  installer: {
    'srv-1': {
      profile: null, fault: null, started: 2, phase: null,
      last: { status: 'installed', endedAt: 1_700_000_000_000, callback: 'delivered', attempts: 1, error: null, idempotencyKey: 'SN1/install-2', request: null },
    },
    'srv-2': {
      profile: { os: 'debian-12', hostname: 'web-02', durationMs: 60_000, callback: { url: 'http://127.0.0.1:9/cb', method: 'PUT' } },
      fault: 'install-hang', started: 1,
      phase: { phase: 'installing', profile: { os: 'debian-12', hostname: 'web-02', durationMs: 60_000 }, since: 1_700_000_000_000 },
      last: {
        status: 'failed', endedAt: 1_699_999_000_000, callback: 'sending', attempts: 3, error: 'ECONNREFUSED', idempotencyKey: 'SN2/install-1',
        request: { url: 'http://127.0.0.1:9/cb', method: 'PUT', body: { sn: 'SN2', hostname: 'web-02', os: 'debian-12', status: 'failed' }, idempotencyKey: 'SN2/install-1' },
      },
    },
  },
  bmc: { 'srv-2': { power: 'off', boot: { valid: true, persistent: true, efi: false, device: 'pxe' }, powerOnAt: 1_700_000_001_000 } },
};

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lab-state-'));
  path = join(dir, 'lab-state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the lab state file', () => {
  it('reads back what was written, readable by its owner only, with no temp file left', () => {
    writeLabStateFile(path, DOC);
    expect(readLabStateFile(path, OWNER)).toEqual({ kind: 'loaded', doc: DOC });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['lab-state.json']);
  });

  it('says missing when there is none', () => {
    expect(readLabStateFile(path, OWNER)).toEqual({ kind: 'missing' });
  });

  it('keeps the previous file whole when a write fails midway', () => {
    writeLabStateFile(path, DOC);
    const before = readFileSync(path, 'utf8');
    // A value JSON cannot write fails after the temp file is opened.
    const broken = { ...DOC, savedAt: 10n as unknown as number };
    expect(() => writeLabStateFile(path, broken)).toThrow(/BigInt/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['lab-state.json']);
  });

  it('refuses, with the reason, a file that is not JSON, not one, of another version, of another lab or with devices the lab lacks', () => {
    const refused = (content: unknown): string => {
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      const r = readLabStateFile(path, OWNER);
      return r.kind === 'refused' ? r.reason : r.kind;
    };
    expect(refused('{"format": "fleetdeck-lab-st')).toMatch(/^not JSON \(/);
    expect(refused({ format: 'fleetdeck-inventory', version: 1 })).toBe('not a lab state file (format "fleetdeck-inventory", expected "fleetdeck-lab-state")');
    expect(refused({ ...DOC, version: 2 })).toBe('version 2, this lab reads version 1 only');
    expect(refused({ ...DOC, lab: { seed: 8, devices: 3 } })).toBe('written by another lab (seed 8, 3 devices; this one: seed 7, 3 devices)');
    expect(refused({ ...DOC, bmc: { 'srv-9': DOC.bmc['srv-2'] } })).toBe('bmc names a device this lab does not have ("srv-9")');
    expect(refused({ ...DOC, identities: { 'srv-1': { hostname: 'x', template: 'windows-11', generation: 1 } } })).toMatch(/^malformed at identities\.srv-1\.template: /);
    const badProfile = { ...DOC.installer['srv-2'], profile: { os: 'debian-12', hostname: 'web-02', durationMs: 1, callback: { url: 'http://10.0.0.1/cb' } } };
    expect(refused({ ...DOC, installer: { 'srv-2': badProfile } })).toMatch(/^malformed at installer\.srv-2\.profile: .*not "10\.0\.0\.1"/);
  });
});

describe('the lab memory', () => {
  const open = (lines: string[]) => openLabMemory({ path, owner: OWNER, log: (l) => lines.push(l) });

  it('starts factory-fresh from a broken file, says so naming the file and the reason, and keeps it aside', () => {
    writeFileSync(path, 'not json at all');
    const lines: string[] = [];
    const memory = open(lines);
    expect(memory.saved).toEqual({ identities: {}, installer: {}, bmc: {} });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^lab state: ${path} ignored: not JSON \\(.*\\); the lab starts factory-fresh \\(the file is kept as ${path}\\.refused\\)$`))]);
    expect(readFileSync(`${path}.refused`, 'utf8')).toBe('not json at all');
    expect(readdirSync(dir)).toEqual(['lab-state.json.refused']);
  });

  it('restores what the file holds and says how much', () => {
    writeLabStateFile(path, DOC);
    const lines: string[] = [];
    expect(open(lines).saved).toEqual({ identities: DOC.identities, installer: DOC.installer, bmc: DOC.bmc });
    expect(lines).toEqual([`lab state: restored from ${path} (saved 2023-11-14T22:13:20.000Z): 1 hosts installed, 1 installs in flight, 1 callbacks to send, 1 BMCs`]);
  });

  it('writes its parts once per turn of changes, at once on flush, and nothing after close', async () => {
    const memory = open([]);
    let reads = 0;
    let identities: LabStateDocument['identities'] = {};
    memory.source('identities', () => {
      reads++;
      return identities;
    });
    identities = DOC.identities;
    memory.changed();
    memory.changed();
    expect(readLabStateFile(path, OWNER).kind).toBe('missing'); // not yet: at the end of this turn
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(1);
    const first = readLabStateFile(path, OWNER);
    expect(first.kind === 'loaded' && first.doc.identities).toEqual(DOC.identities);
    expect(first.kind === 'loaded' && first.doc.installer).toEqual({});

    identities = {};
    memory.changed();
    memory.flush();
    const second = readLabStateFile(path, OWNER);
    expect(second.kind === 'loaded' && second.doc.identities).toEqual({});

    memory.close();
    identities = DOC.identities;
    memory.changed();
    memory.flush();
    await new Promise((r) => setImmediate(r));
    const after = readLabStateFile(path, OWNER);
    expect(after.kind === 'loaded' && after.doc.identities).toEqual({});
  });
});
