// The agent's inventory (src-daemons/agent/collect/inventory.ts) against fixture files:
// os-release (PRETTY_NAME, its quoting, the /usr/lib fallback, NAME VERSION), the kernel from
// a fixture procfs, installed packages from a dpkg status file (only installed ones,
// name:arch for Multi-Arch: same) or, without one, from an rpm stand-in script (the query it
// is given, a failing rpm, rpm disabled), and the sha256 of declared files with the reasons
// a file cannot be hashed (missing, a directory, a FIFO that must not hang, relative,
// too large); results valid for the protocol. And a smoke test on this machine.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inventoryResult } from '../../../../../src-shared/agent-protocol/messages';
import { createInventoryCollector, parseOsRelease } from '../../../../../src-daemons/agent/collect/inventory';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'agent-inv-'));
  dirs.push(d);
  return d;
}
function put(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const DPKG_STATUS = `Package: bash
Status: install ok installed
Priority: required
Architecture: amd64
Multi-Arch: foreign
Version: 5.2.15-2+b7
Description: GNU Bourne Again SHell
 Bash is an sh-compatible command language interpreter.
 .
 Version: 9.9 (a continuation line, not a field)

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Version: 2.36-9+deb12u10

Package: old-tool
Status: deinstall ok config-files
Architecture: all
Version: 1.0

Package: half
Status: install ok half-configured
Version: 0.1

Package: apt
Status: install ok installed
Architecture: amd64
Version: 2.6.1
`;

describe('inventory: os-release and kernel', () => {
  it('reads PRETTY_NAME with shell quoting, falls back to /usr/lib/os-release and to NAME VERSION', async () => {
    const root = tmp();
    put(path.join(root, 'a/etc/os-release'), 'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\n');
    put(path.join(root, 'b/usr/lib/os-release'), "PRETTY_NAME='Rocky Linux 9.4 (Blue Onyx)'\n");
    put(path.join(root, 'c/etc/os-release'), 'NAME=Alpine\nVERSION=3.20\n');
    put(path.join(root, 'p/sys/kernel/osrelease'), '6.1.0-28-amd64\n');
    const a = await createInventoryCollector({ etcRoot: path.join(root, 'a/etc'), procRoot: path.join(root, 'p'), dpkgStatus: '/nonexistent', rpmCommand: null }).sample([]);
    expect([a.osRelease, a.kernel]).toEqual(['Debian GNU/Linux 12 (bookworm)', '6.1.0-28-amd64']);
    const b = await createInventoryCollector({ etcRoot: path.join(root, 'b/etc'), dpkgStatus: '/nonexistent', rpmCommand: null }).sample([]);
    expect([b.osRelease, b.kernel]).toEqual(['Rocky Linux 9.4 (Blue Onyx)', os.release()]);
    const c = await createInventoryCollector({ etcRoot: path.join(root, 'c/etc'), dpkgStatus: '/nonexistent', rpmCommand: null }).sample([]);
    expect(c.osRelease).toBe('Alpine 3.20');
    const none = await createInventoryCollector({ etcRoot: path.join(root, 'none/etc'), dpkgStatus: '/nonexistent', rpmCommand: null }).sample([]);
    expect(none).toMatchObject({ osRelease: '', packages: [], files: [] });
  });

  it('unquotes os-release values as a shell would', () => {
    const v = parseOsRelease('A="say \\"hi\\" \\$HOME \\\\ x"\nB=\'single $x\'\nC=bare\n# comment\nD="unterminated\n');
    expect(Object.fromEntries(v)).toEqual({ A: 'say "hi" $HOME \\ x', B: 'single $x', C: 'bare', D: 'unterminated' });
  });
});

describe('inventory: packages', () => {
  it('lists installed dpkg packages, named as dpkg-query does, sorted, without exec', async () => {
    const root = tmp();
    const status = put(path.join(root, 'status'), DPKG_STATUS);
    const inv = await createInventoryCollector({ etcRoot: root, dpkgStatus: status, rpmCommand: path.join(root, 'no-rpm') }).sample([]);
    expect(inv.packages).toEqual([
      { name: 'apt', version: '2.6.1' },
      { name: 'bash', version: '5.2.15-2+b7' },
      { name: 'libc6:amd64', version: '2.36-9+deb12u10' },
    ]);
    expect(inventoryResult.parse(inv)).toEqual(inv);
  });

  it('asks rpm when there is no dpkg status, and gives an empty list when rpm fails or is disabled', async () => {
    const root = tmp();
    const argsFile = path.join(root, 'args');
    const rpm = put(path.join(root, 'rpm'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nprintf 'kernel\\t1:5.14.0-427.el9\\nbash\\t5.1.8-9.el9\\nbroken-line\\n'\n`);
    chmodSync(rpm, 0o755);
    const failing = put(path.join(root, 'rpm-fail'), '#!/bin/sh\necho oops >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    const inv = await createInventoryCollector({ etcRoot: root, dpkgStatus: path.join(root, 'none'), rpmCommand: rpm }).sample([]);
    expect(inv.packages).toEqual([{ name: 'bash', version: '5.1.8-9.el9' }, { name: 'kernel', version: '1:5.14.0-427.el9' }]);
    expect(readFileSync(argsFile, 'utf8').split('\n').slice(0, 2)).toEqual(['-qa', '--qf']);
    const fails = await createInventoryCollector({ etcRoot: root, dpkgStatus: path.join(root, 'none'), rpmCommand: failing }).sample([]);
    expect(fails.packages).toEqual([]);
    const off = await createInventoryCollector({ etcRoot: root, dpkgStatus: path.join(root, 'none'), rpmCommand: null }).sample([]);
    expect(off.packages).toEqual([]);
  });
});

describe('inventory: declared files', () => {
  it('hashes files by streaming and names why the others could not be hashed', async () => {
    const root = tmp();
    const small = put(path.join(root, 'etc/app.conf'), 'listen 80;\n');
    const big = put(path.join(root, 'big.bin'), 'x'.repeat(3 * 256 * 1024 + 17)); // several stream chunks
    const fifo = path.join(root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const medium = put(path.join(root, 'medium'), 'y'.repeat(2048));
    const files = [small, big, path.join(root, 'missing'), root, fifo, 'relative/path', medium];
    const inv = await createInventoryCollector({ etcRoot: root, dpkgStatus: path.join(root, 'none'), rpmCommand: null, maxFileBytes: 512 * 1024 }).sample(files);
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(inv.files).toEqual([
      { path: small, sha256: sha(small), error: null },
      { path: big, sha256: null, error: 'too-large' },
      { path: path.join(root, 'missing'), sha256: null, error: 'ENOENT' },
      { path: root, sha256: null, error: 'not-a-file' },
      { path: fifo, sha256: null, error: 'not-a-file' },
      { path: 'relative/path', sha256: null, error: 'not-absolute' },
      { path: medium, sha256: sha(medium), error: null },
    ]);
    const roomy = await createInventoryCollector({ etcRoot: root, dpkgStatus: path.join(root, 'none'), rpmCommand: null }).sample([big]);
    expect(roomy.files[0]).toEqual({ path: big, sha256: sha(big), error: null });
    expect(inventoryResult.parse(inv)).toEqual(inv);
  });
});

describe('inventory on this machine', () => {
  it('reads the real os-release, kernel and package database', async () => {
    const inv = await createInventoryCollector().sample(['/etc/os-release']);
    expect(inventoryResult.parse(inv)).toEqual(inv);
    expect(inv.osRelease).not.toBe('');
    expect(inv.kernel).toBe(os.release());
    expect(inv.packages.length).toBeGreaterThan(10);
    expect(inv.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
