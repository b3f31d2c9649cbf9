// A lab host's shell under the agent deploy's command lines (core/agents/deploy/host-commands.ts),
// run straight on a host context (no SSH): the redirections and `if` the probe and the
// "|| true" checks use, the coreutils the layout needs (mkdir -p, chmod, ln -sfn, readlink,
// tail -n, sha256sum, test) with coreutils' messages and exit codes, and a runtime path that
// names nothing uploaded answering as bash does.
import { describe, expect, it } from 'vitest';
import { hostCommands, paths } from '../../../src-main/core/agents/deploy/host-commands';
import { runCommandLine, type HostContext } from '../../../src-main/lab/ssh/ssh-commands';
import { LabFileSystem } from '../../../src-main/lab/ssh/ssh-files';
import { factsFor } from '../../../src-main/lab/ssh/ssh-host-facts';
import { generatedFile } from '../../../src-main/lab/ssh/ssh-proc';

function host(username = 'fleetdeck'): HostContext {
  const ctx: HostContext = {
    hostId: 'srv-1', hostname: 'lab-srv-1', username, facts: factsFor('srv-1'), fs: null as unknown as LabFileSystem,
    bootAt: Date.now() - 3_600_000, users: () => 1, agents: null,
  };
  ctx.fs = new LabFileSystem(username === 'root' ? '/root' : `/home/${username}`, (p) => generatedFile(ctx, p));
  return ctx;
}

async function run(ctx: HostContext, line: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCommandLine(line, ctx, {
    stdout: (d) => void (out += d.toString()), stderr: (d) => void (err += d), stdin: async () => Buffer.from('in\n'), signal: new AbortController().signal,
  });
  return { code, out, err };
}

const layout = { base: '/opt/fleetdeck', runtimeSha256: 'ab'.repeat(32) };
const cmd = hostCommands(layout);
const p = paths(layout);

describe('a lab host under the deploy\'s host commands', () => {
  it('answers the probe: Linux x86_64, PID 1 is init, the uid, and no systemd', async () => {
    expect(await run(host(), cmd.probe())).toEqual({ code: 0, out: 'Linux x86_64\ninit\n1000\nnot-booted\n', err: '' });
    expect((await run(host('root'), cmd.probe())).out).toBe('Linux x86_64\ninit\n0\nnot-booted\n');
  });

  it('routes 2>/dev/null, >/dev/null, 2>&1 and &>/dev/null, in order, and refuses other targets', async () => {
    const ctx = host();
    expect(await run(ctx, 'cat /nope')).toEqual({ code: 1, out: '', err: 'cat: /nope: No such file or directory\n' });
    expect(await run(ctx, 'cat /nope 2>/dev/null || echo unknown')).toEqual({ code: 0, out: 'unknown\n', err: '' });
    expect(await run(ctx, 'cat /nope 2>&1')).toEqual({ code: 1, out: 'cat: /nope: No such file or directory\n', err: '' });
    expect(await run(ctx, 'cat /nope 2>&1 >/dev/null')).toEqual({ code: 1, out: 'cat: /nope: No such file or directory\n', err: '' });
    expect(await run(ctx, 'cat /nope >/dev/null 2>&1; echo $?x')).toMatchObject({ code: 2 }); // $ stays unsupported
    expect(await run(ctx, 'cat /nope >/dev/null 2>&1')).toEqual({ code: 1, out: '', err: '' });
    expect(await run(ctx, 'echo hi &>/dev/null')).toEqual({ code: 0, out: '', err: '' });
    expect(await run(ctx, 'echo x2>/dev/null')).toEqual({ code: 0, out: '', err: '' }); // "x2" is the word, > the redirection
    expect(await run(ctx, `echo '2>/dev/null' "a>b" 2\\>c`)).toEqual({ code: 0, out: '2>/dev/null a>b 2>c\n', err: '' });
    expect(await run(ctx, 'cat </dev/null')).toEqual({ code: 0, out: '', err: '' });
    expect(await run(ctx, 'echo hi > /tmp/x')).toEqual({ code: 1, out: '', err: "bash: /tmp/x: the lab's shell redirects output only to /dev/null\n" });
    expect(await run(ctx, 'echo hi >')).toMatchObject({ code: 2, err: expect.stringContaining('unexpected token') });
    expect(await run(ctx, 'echo a | wc')).toMatchObject({ code: 2 });
  });

  it('runs if/elif/else/fi, nested, with && and || around it, and refuses a block left open', async () => {
    const ctx = host();
    ctx.fs.mkdirp('/run/systemd/system');
    expect((await run(ctx, cmd.probe())).out).toBe('Linux x86_64\ninit\n1000\nbooted\n');
    expect((await run(ctx, 'if false; then echo a; elif [ -d /tmp ]; then echo b; else echo c; fi')).out).toBe('b\n');
    expect((await run(ctx, 'if false\nthen echo a\nelse\n  if true; then echo inner; fi\nfi && echo after')).out).toBe('inner\nafter\n');
    expect(await run(ctx, 'if false; then echo a; fi || echo none')).toEqual({ code: 0, out: '', err: '' }); // no arm ran: status 0
    expect(await run(ctx, 'if true; then exit 4; fi; echo never')).toEqual({ code: 4, out: '', err: '' });
    expect((await run(ctx, 'if true; then echo a')).code).toBe(2);
    expect((await run(ctx, 'then echo a')).code).toBe(2);
  });

  it('makes the layout: mkdir -p and chmod, sha256sum of nothing fails, || true hides it', async () => {
    const ctx = host();
    expect(await run(ctx, cmd.mkdirs('1.2.3'))).toEqual({ code: 0, out: '', err: '' });
    expect(ctx.fs.isDir(p.versionDir('1.2.3'))).toBe(true);
    expect((ctx.fs.stat(p.stateDir)!.mode ?? 0) & 0o777).toBe(0o700);
    expect(await run(ctx, `sha256sum ${p.node}`)).toEqual({ code: 1, out: '', err: `sha256sum: ${p.node}: No such file or directory\n` });
    expect(await run(ctx, cmd.runtimeSum())).toEqual({ code: 0, out: '', err: '' });
    ctx.fs.writeFile(p.node, 'abc', 0o755);
    expect((await run(ctx, cmd.runtimeSum())).out).toBe(`ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  ${p.node}\n`);
    expect(await run(ctx, 'mkdir /opt/fleetdeck')).toEqual({ code: 1, out: '', err: "mkdir: cannot create directory '/opt/fleetdeck': File exists\n" });
    expect(await run(ctx, 'mkdir /a/b')).toEqual({ code: 1, out: '', err: "mkdir: cannot create directory '/a/b': No such file or directory\n" });
    expect(await run(ctx, 'mkdir -p /etc/x')).toMatchObject({ code: 1, err: expect.stringContaining('Permission denied') });
    expect(await run(ctx, `chmod u-x,go=r ${p.node}`)).toMatchObject({ code: 0 });
    expect((ctx.fs.stat(p.node)!.mode ?? 0) & 0o777).toBe(0o644);
    expect(await run(ctx, `chmod 9x ${p.node}`)).toEqual({ code: 1, out: '', err: "chmod: invalid mode: '9x'\n" });
  });

  it('switches versions with ln -sfn and reads them with readlink; paths go through the link', async () => {
    const ctx = host();
    await run(ctx, `${cmd.mkdirs('1.0.0')} && ${cmd.mkdirs('2.0.0')}`);
    ctx.fs.writeFile(`${p.versionDir('2.0.0')}/agent.js`, 'two');
    expect(await run(ctx, cmd.currentVersion())).toEqual({ code: 0, out: '', err: '' });
    expect(await run(ctx, cmd.switchTo('1.0.0', null))).toEqual({ code: 0, out: '', err: '' });
    expect(await run(ctx, cmd.switchTo('2.0.0', '1.0.0'))).toEqual({ code: 0, out: '', err: '' });
    expect((await run(ctx, cmd.currentVersion())).out).toBe('2.0.0\n');
    expect((await run(ctx, cmd.previousVersion())).out).toBe('1.0.0\n');
    expect((await run(ctx, `cat ${p.current}/agent.js`)).out).toBe('two');
    expect(ctx.fs.list(`${layout.base}/agent`)).toEqual(['1.0.0', '2.0.0', 'current', 'previous']); // -n: not a link inside 1.0.0/
    expect(await run(ctx, `ln -s 1.0.0 ${p.current}`)).toMatchObject({ code: 1, err: expect.stringContaining('File exists') });
    expect(await run(ctx, `readlink ${p.versionDir('1.0.0')}`)).toEqual({ code: 1, out: '', err: '' });
    expect((await run(ctx, `test -L ${p.current} && [ -d ${p.current} ] && [ ! -f ${p.current} ] && echo yes`)).out).toBe('yes\n');
  });

  it('tails a log by lines and says when there is none; a runtime that was never uploaded is 127', async () => {
    const ctx = host();
    ctx.fs.mkdirp(layout.base);
    expect(await run(ctx, cmd.logTail(2))).toEqual({ code: 0, out: '', err: '' });
    expect(await run(ctx, `tail -n 2 ${p.logFile}`)).toEqual({ code: 1, out: '', err: `tail: cannot open '${p.logFile}' for reading: No such file or directory\n` });
    ctx.fs.writeFile(p.logFile, 'a\nb\nc\nd\n');
    expect((await run(ctx, cmd.logTail(2))).out).toBe('c\nd\n');
    expect((await run(ctx, cmd.logTail(0))).out).toBe('d\n'); // the builder asks for at least one line
    expect(await run(ctx, cmd.keygen('1.0.0'))).toEqual({ code: 127, out: '', err: `bash: ${p.node}: No such file or directory\n` });
    ctx.fs.mkdirp(p.runtimeDir);
    ctx.fs.writeFile(p.node, 'ELF', 0o644);
    expect(await run(ctx, cmd.keygen('1.0.0'))).toEqual({ code: 126, out: '', err: `bash: ${p.node}: Permission denied\n` });
    ctx.fs.chmod(p.node, 0o755);
    expect(await run(ctx, cmd.keygen('1.0.0'))).toMatchObject({ code: 1, err: expect.stringContaining('Cannot find module') });
  });
});
