// A lab BMC: RMCP+ (cipher suites 3 and 17) and IPMI 1.5 MD5 on one loopback UDP address,
// with power, identify, boot flags, drifting sensors and a SEL (bmc-state), the command set
// ipmitool and FleetDeck use (bmc-commands) and real sessions (bmc-sessions). handle() is
// the whole datagram-in, datagram-out path without a socket, for tests and fuzzing.
// It can start from saved chassis state (power, boot flags, a cycle's pending power-on:
// resumeCycle() finishes that cycle when it is due).
import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { CC } from '../../core/protocols/ipmi/codec/completion-codes';
import { CMD, NETFN, PRIVILEGE } from '../../core/protocols/ipmi/codec/constants';
import { decodeIpmi15, encodeIpmi15 } from '../../core/protocols/ipmi/codec/ipmi15';
import { decodeRequest, encodeResponse } from '../../core/protocols/ipmi/codec/message';
import { classifyPacket, decodeAsf, encodeAsfPong } from '../../core/protocols/ipmi/codec/rmcp';
import { IpmiError } from '../../core/protocols/ipmi/codec/errors';
import { channelAuthCapabilities, handleCommand, type BmcConfig, type DeviceInfo } from './bmc-commands';
import { SessionTable, type BmcUser, type Dispatch } from './bmc-sessions';
import { BmcState, type BootTarget, type PowerCause, type SimSensor } from './bmc-state';
import type { BootFlags } from '../../core/protocols/ipmi/codec/chassis-commands';

export interface BmcSimulatorOptions {
  address: string;
  port: number;
  /** The administrator account. */
  username: string;
  password: string;
  /** More accounts (a read-only user, say). */
  users?: readonly BmcUser[];
  deviceId?: Partial<DeviceInfo>;
  seed: number;
  nominalWatts?: number;
  psuRatedWatts?: number;
  /** Power supplies, a power sensor each (default 1). */
  psus?: number;
  poweredOn?: boolean;
  /** Boot flags to start with (default: no override). */
  boot?: BootFlags;
  /** A power cycle's power-on still due (wall clock), from before a restart: resumeCycle() finishes it. */
  powerOnAt?: number | null;
  /** Default [3, 17]. */
  cipherSuites?: readonly number[];
  ipmi20?: boolean;
  ipmi15?: boolean;
  /** DCMI power reading (default on); off makes clients fall back to the PSU sensor. */
  dcmi?: boolean;
  maxSessions?: number;
  sessionIdleMs?: number;
  cycleDelayMs?: number;
  selCapacity?: number;
  /** Own threshold-check timer period; 0 when a fleet ticks this BMC (see bmc-fleet). */
  tickMs?: number;
  now?: () => number;
}

export interface BmcStateView {
  readonly power: 'on' | 'off';
  readonly identify: 'off' | 'temporary' | 'indefinite';
  readonly boot: { device: string; persistent: boolean; valid: boolean; efi: boolean };
  /** A power cycle's power-on still to come (wall clock); null: none. */
  readonly powerOnAt: number | null;
  readonly sensors: SimSensor[];
  readonly sel: ReturnType<BmcState['selEntries']>;
}

export interface BmcSimulator {
  readonly address: string;
  readonly port: number;
  readonly running: boolean;
  readonly state: BmcStateView;
  /** Sessions open (or being opened) right now. */
  readonly sessions: number;
  /** Logins completed since start (each one a session opened). */
  readonly logins: number;
  /** Datagrams that made the handler throw something unnamed (should stay 0). */
  readonly internalErrors: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The lab's fault API: the server loses or regains power (logged in the SEL like a real event). */
  setPower(on: boolean | 'on' | 'off'): void;
  /** The lab's feeds: which PSUs have input power, PSU 1 first (one without reads 0 W). */
  setPsuInputs(inputs: readonly boolean[]): void;
  /** Power on and off; a power on says what the host boots from (the boot flags' override, or null: disk). */
  onPowerChange(cb: (on: boolean, cause: PowerCause, boot: BootTarget) => void): { dispose(): void };
  /** Chassis Control hard reset of a running host: it boots again from `boot`. */
  onReset(cb: (boot: BootTarget) => void): { dispose(): void };
  /** Power, boot flags or a pending cycle changed. */
  onStateChange(cb: () => void): { dispose(): void };
  /** A power cycle it was in when the lab stopped powers the host on when it is due (at once if overdue). */
  resumeCycle(): void;
  /** One datagram in, the answer out (null: no answer). Throws only on a bug, never on bad input. */
  handle(packet: Buffer): Buffer | null;
  /** Threshold check: logs crossings in the SEL. */
  tick(): void;
}

const DEFAULT_DEVICE: DeviceInfo = { deviceId: 0x20, deviceRevision: 1, firmwareMajor: 2, firmwareMinor: 0x41, manufacturerId: 32473, productId: 0x0fd1 };

export function createBmcSimulator(o: BmcSimulatorOptions): BmcSimulator {
  const now = o.now ?? Date.now;
  const state = new BmcState({
    seed: o.seed, nominalWatts: o.nominalWatts, psuRatedWatts: o.psuRatedWatts, psus: o.psus, poweredOn: o.poweredOn,
    boot: o.boot, powerOnAt: o.powerOnAt, selCapacity: o.selCapacity, now,
  });
  const config: BmcConfig = {
    deviceInfo: { ...DEFAULT_DEVICE, ...o.deviceId },
    cipherSuites: o.cipherSuites ?? [3, 17],
    ipmi20: o.ipmi20 ?? true,
    ipmi15: o.ipmi15 ?? true,
    dcmi: o.dcmi ?? true,
    cycleDelayMs: o.cycleDelayMs ?? 1000,
  };
  const users: BmcUser[] = [{ username: o.username, password: o.password, maxPrivilege: PRIVILEGE.ADMINISTRATOR }, ...(o.users ?? [])];
  const guid = createHash('sha256').update(`fleetdeck-bmc-${o.seed}-${o.address}`).digest().subarray(0, 16);
  const sessions = new SessionTable({
    users, guid, cipherSuites: config.cipherSuites, ipmi15: config.ipmi15, ipmi20: config.ipmi20,
    maxSessions: o.maxSessions ?? 16, idleMs: o.sessionIdleMs ?? 60_000, now,
  });
  const timers = new Set<NodeJS.Timeout>();
  let socket: Socket | null = null;
  let ticker: NodeJS.Timeout | undefined;
  let internalErrors = 0;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };

  const dispatch: Dispatch = (view, netFn, cmd, data) => {
    state.tick();
    return handleCommand(state, config, {
      privilege: view.privilege,
      maxPrivilege: view.maxPrivilege,
      sessionId: view.id,
      setPrivilege: view.setPrivilege,
      close: (id) => sessions.close(id),
      later,
    }, netFn, cmd, data);
  };

  /** Sessionless IPMI 1.5 requests: Get Channel Authentication Capabilities and Get Session Challenge. */
  function sessionless(packet: Buffer): Buffer | null {
    const p = decodeIpmi15(packet);
    if (p.sessionId !== 0) return sessions.ipmi15(packet, dispatch);
    const req = decodeRequest(p.message);
    if (req.netFn !== NETFN.APP) return null;
    let cc: number = CC.OK;
    let data: Buffer | undefined;
    if (req.cmd === CMD.GET_CHANNEL_AUTH_CAPABILITIES) data = channelAuthCapabilities(config);
    else if (req.cmd === CMD.GET_SESSION_CHALLENGE) ({ cc, data } = sessions.challenge(req.data));
    else return null;
    return encodeIpmi15({ authType: 'none', sequence: 0, sessionId: 0, message: encodeResponse(req, cc, data) });
  }

  function handle(packet: Buffer): Buffer | null {
    try {
      switch (classifyPacket(packet)) {
        case 'asf': {
          const m = decodeAsf(packet);
          return m.type === 'ping' ? encodeAsfPong(m.tag) : null;
        }
        case 'ipmi15':
          return sessionless(packet);
        case 'rmcpplus':
          return sessions.rmcpPlus(packet, dispatch);
      }
    } catch (err) {
      if (err instanceof IpmiError) return null; // malformed: a real BMC stays silent too
      throw err;
    }
    return null;
  }

  const view: BmcStateView = {
    get power() {
      return state.power;
    },
    get identify() {
      return state.identifyState;
    },
    get boot() {
      return state.boot;
    },
    get powerOnAt() {
      return state.powerOnAt;
    },
    get sensors() {
      return state.sensors();
    },
    get sel() {
      return state.selEntries();
    },
  };

  return {
    address: o.address,
    port: o.port,
    get running() {
      return socket !== null;
    },
    state: view,
    get sessions() {
      return sessions.size;
    },
    get logins() {
      return sessions.logins;
    },
    get internalErrors() {
      return internalErrors;
    },
    handle,
    tick: () => state.tick(),
    setPower: (on) => state.setPower(on === true || on === 'on', 'lab'),
    setPsuInputs: (inputs) => state.setPsuInputs(inputs),
    onPowerChange: (cb) => state.onPowerChange(cb),
    onReset: (cb) => state.onReset(cb),
    onStateChange: (cb) => state.onStateChange(cb),
    resumeCycle() {
      const at = state.powerOnAt;
      if (at !== null) later(Math.max(0, at - now()), () => state.finishCycle(at));
    },
    async start() {
      if (socket) return;
      const s = createSocket(isIPv6(o.address) ? 'udp6' : 'udp4');
      s.on('message', (msg, rinfo) => {
        let reply: Buffer | null = null;
        try {
          reply = handle(msg);
        } catch {
          internalErrors++;
        }
        if (reply) s.send(reply, rinfo.port, rinfo.address, () => {});
      });
      await new Promise<void>((resolve, reject) => {
        const failed = (err: Error): void => {
          s.close();
          reject(err);
        };
        s.once('error', failed);
        s.bind(o.port, o.address, () => {
          s.off('error', failed);
          s.on('error', () => {});
          resolve();
        });
      });
      socket = s;
      const tickMs = o.tickMs ?? 5000;
      if (tickMs > 0) {
        ticker = setInterval(() => state.tick(), tickMs);
        ticker.unref();
      }
    },
    async stop() {
      const s = socket;
      socket = null;
      if (ticker) clearInterval(ticker);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      state.dropCycle(); // its timer is gone: the cycle never finishes
      sessions.closeAll();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
