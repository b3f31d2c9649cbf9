// The shell commands the agent deploy workflow runs on a fleet host over SSH, in one place:
// the deploy tools build them here, and the lab's SSH hosts (src-main/lab) answer exactly
// these, so the lab's "deploy" goes through the same workflow, exec and SFTP path as a real
// host's. Plain POSIX sh and coreutils only (a host needs nothing pre-installed but Linux);
// everything else is the shipped Node runtime running the shipped bundles. Every path is
// quoted (quote.ts); versions and ids are checked before they get here.
//
// On the host, under `base` (default /opt/fleetdeck, or relative to the login's home):
//   runtime/node-<sha12>/node          the Node runtime, shipped once and kept by checksum
//   agent/<version>/agent.js           the agent bundle of that version
//   agent/<version>/agent-supervise.js its supervisor (where systemd is not PID 1)
//   agent/current -> <version>         what runs; agent/previous -> the version before
//   agent.json                         the run config (src-shared/agent-protocol/run-config.ts)
//   state/                             the agent's key, buffer and kept console config
//   supervisor.pid, agent.log          the supervisor's pid file and the agent's rotated log
// Where systemd is PID 1 and the login is root, the agent runs as the unit
// /etc/systemd/system/<UNIT> (its text from the supervisor's systemd.ts) instead of under the
// supervisor; the unit runs `current`, so a switch plus a restart changes the version either way.
import { shellQuote } from '../../protocols/ssh';

export const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;
/** The systemd unit's name and file, where systemd runs the agent. */
export const UNIT = 'fleetdeck-agent.service';
export const UNIT_FILE = `/etc/systemd/system/${UNIT}`;

export interface HostLayout {
  readonly base: string;
  /** The runtime's sha256 (hex). */
  readonly runtimeSha256: string;
}

const q = shellQuote;
export const paths = (l: HostLayout) => ({
  runtimeDir: `${l.base}/runtime/node-${l.runtimeSha256.slice(0, 12)}`,
  node: `${l.base}/runtime/node-${l.runtimeSha256.slice(0, 12)}/node`,
  versionDir: (v: string) => `${l.base}/agent/${v}`,
  current: `${l.base}/agent/current`,
  previous: `${l.base}/agent/previous`,
  runConfig: `${l.base}/agent.json`,
  stateDir: `${l.base}/state`,
  pidFile: `${l.base}/supervisor.pid`,
  logFile: `${l.base}/agent.log`,
});

export const hostCommands = (l: HostLayout) => {
  const p = paths(l);
  return {
    /**
     * Four lines: "Linux x86_64", PID 1's name, the login's uid, and whether systemd runs this
     * host ("booted": /run/systemd/system exists, systemd's own sd_booted() test).
     */
    probe: () => `uname -s -m; cat /proc/1/comm 2>/dev/null || echo unknown; id -u; if [ -d /run/systemd/system ]; then echo booted; else echo not-booted; fi`,
    mkdirs: (version: string) => `mkdir -p ${q(p.runtimeDir)} ${q(p.versionDir(version))} ${q(p.stateDir)} && chmod 700 ${q(p.stateDir)}`,
    /** sha256sum's line for the kept runtime, or nothing when it is not there. */
    runtimeSum: () => `sha256sum ${q(p.node)} 2>/dev/null || true`,
    /** The agent's public key (makes the key on first use). */
    keygen: (version: string) => `${q(p.node)} ${q(`${p.versionDir(version)}/agent.js`)} keygen --state-dir ${q(p.stateDir)}`,
    /** The version `current` points at, or nothing. */
    currentVersion: () => `readlink ${q(p.current)} 2>/dev/null || true`,
    /** The version `previous` points at, or nothing. */
    previousVersion: () => `readlink ${q(p.previous)} 2>/dev/null || true`,
    /** Points `current` at the version (and `previous` at what current was, when given). */
    switchTo: (version: string, previous: string | null) =>
      `${previous ? `ln -sfn ${q(previous)} ${q(p.previous)} && ` : ''}ln -sfn ${q(version)} ${q(p.current)}`,
    /** Stops the running supervisor and its agent (nothing running is fine). */
    stop: () => `${q(p.node)} ${q(`${p.current}/agent-supervise.js`)} stop --pid-file ${q(p.pidFile)}`,
    /** Starts the supervisor of `current` in the background; it starts the agent and keeps it up. */
    start: () =>
      `${q(p.node)} ${q(`${p.current}/agent-supervise.js`)} start --daemonize --pid-file ${q(p.pidFile)} --log-file ${q(p.logFile)} -- ` +
      `${q(p.node)} ${q(`${p.current}/agent.js`)} run --config ${q(p.runConfig)}`,
    /** The last lines of the agent's log (why it did not come up). */
    logTail: (lines = 20) => `tail -n ${Math.max(1, Math.min(200, Math.floor(lines)))} ${q(p.logFile)} 2>/dev/null || true`,
    /** systemd hosts (root): (re)starts the unit written to UNIT_FILE, enabled for boot. */
    unitRestart: () => `systemctl daemon-reload && systemctl enable ${UNIT} >/dev/null 2>&1 && systemctl restart ${UNIT}`,
    /** systemd hosts: stops the unit (not installed is fine). */
    unitStop: () => `systemctl stop ${UNIT} 2>/dev/null || true`,
    /** systemd hosts: the unit's last journal lines. */
    unitLogTail: (lines = 20) => `journalctl -u ${UNIT} -n ${Math.max(1, Math.min(200, Math.floor(lines)))} --no-pager -o cat 2>/dev/null || true`,
  };
};
