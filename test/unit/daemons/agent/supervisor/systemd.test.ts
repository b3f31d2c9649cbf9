// The agent's systemd unit (src-daemons/agent/supervisor/systemd.ts): the directives it
// carries (restart on failure with backoff, caps, user, working directory), ExecStart quoted
// and escaped by systemd's rules, values that would add a line or a bad cap refused; and
// hasSystemd on fixture roots (PID 1 systemd with and without /run/systemd/system, another
// PID 1) and on this machine.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasSystemd, SystemdUnitError, systemdUnit } from '../../../../../src-daemons/agent/supervisor/systemd';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const base = { execStart: ['/opt/fleetdeck/node/bin/node', '/opt/fleetdeck/agent/agent.js', '--config', '/etc/fleetdeck/agent.json'], workingDirectory: '/var/lib/fleetdeck' };

describe('systemd unit', () => {
  it('restarts on failure with backoff, never gives up, and carries the caps and user', () => {
    const unit = systemdUnit({ ...base, user: 'fleetdeck', memoryMax: '128M', cpuQuota: '20%' });
    const lines = unit.split('\n');
    for (const l of [
      '[Unit]', 'StartLimitIntervalSec=0', '[Service]',
      'ExecStart=/opt/fleetdeck/node/bin/node /opt/fleetdeck/agent/agent.js --config /etc/fleetdeck/agent.json',
      'WorkingDirectory=/var/lib/fleetdeck', 'User=fleetdeck', 'Restart=on-failure', 'RestartSec=1', 'RestartSteps=6', 'RestartMaxDelaySec=60',
      'MemoryMax=128M', 'CPUQuota=20%', '[Install]', 'WantedBy=multi-user.target',
    ]) expect(lines, l).toContain(l);
    expect(lines.indexOf('[Unit]')).toBeLessThan(lines.indexOf('[Service]'));
    expect(lines.indexOf('[Service]')).toBeLessThan(lines.indexOf('[Install]'));
    expect(unit.endsWith('\n')).toBe(true);
  });

  it('leaves out caps and user it was not given', () => {
    const unit = systemdUnit(base);
    expect(unit).not.toMatch(/^(User|MemoryMax|CPUQuota)=/m);
  });

  it('quotes and escapes ExecStart words: blanks, quotes, backslashes, % specifiers and $ variables', () => {
    const unit = systemdUnit({ ...base, execStart: ['/opt/my agent/node', 'a"b', 'c\\d', '50%', '$HOME', 'plain'], environment: { FLEETDECK_MODE: 'agent 100%' } });
    expect(unit).toContain('ExecStart="/opt/my agent/node" "a\\"b" "c\\\\d" 50%% $$HOME plain');
    expect(unit).toContain('Environment="FLEETDECK_MODE=agent 100%%"');
  });

  it('refuses a relative program, a value that would start another line, and malformed caps, naming the field', () => {
    const refused = (opts: Parameters<typeof systemdUnit>[0], field: string) => {
      let err: unknown;
      try {
        systemdUnit(opts);
      } catch (e) {
        err = e;
      }
      expect(err, field).toBeInstanceOf(SystemdUnitError);
      expect((err as SystemdUnitError).field).toBe(field);
    };
    refused({ ...base, execStart: ['node', 'agent.js'] }, 'execStart');
    refused({ ...base, execStart: ['/bin/node', 'x\nExecStartPre=/bin/rm -rf /'] }, 'execStart');
    refused({ ...base, user: 'root\nUser=x' }, 'user');
    refused({ ...base, workingDirectory: 'relative' }, 'workingDirectory');
    refused({ ...base, memoryMax: '128 MB' }, 'memoryMax');
    refused({ ...base, cpuQuota: '20' }, 'cpuQuota');
    refused({ ...base, environment: { 'BAD-NAME': 'x' } }, 'environment');
    refused({ ...base, environment: { OK: 'a"b' } }, 'environment');
    refused({ ...base, description: 'two\nlines' }, 'description');
  });
});

describe('hasSystemd', () => {
  function roots(comm: string | null, runSystemd: boolean): { procRoot: string; runRoot: string } {
    const d = mkdtempSync(path.join(tmpdir(), 'agent-systemd-'));
    dirs.push(d);
    mkdirSync(path.join(d, 'proc/1'), { recursive: true });
    if (comm !== null) writeFileSync(path.join(d, 'proc/1/comm'), `${comm}\n`);
    mkdirSync(path.join(d, runSystemd ? 'run/systemd/system' : 'run/systemd'), { recursive: true });
    return { procRoot: path.join(d, 'proc'), runRoot: path.join(d, 'run') };
  }

  it('needs PID 1 to be systemd and /run/systemd/system to exist', () => {
    expect(hasSystemd(roots('systemd', true))).toBe(true);
    expect(hasSystemd(roots('systemd', false))).toBe(false);
    expect(hasSystemd(roots('tini', true))).toBe(false);
    expect(hasSystemd(roots(null, true))).toBe(false);
  });

  it('agrees with this machine (here PID 1 is not systemd, so the supervisor is the path used; a CI runner may boot systemd)', () => {
    const pid1 = readFileSync('/proc/1/comm', 'utf8').trim();
    expect(hasSystemd()).toBe(pid1 === 'systemd' && existsSync('/run/systemd/system'));
  });
});
