// One lab BMC's platform state: chassis power, identify LED, boot flags, sensors (a power
// sensor per PSU; which PSUs have input power, as the lab's feeds say) and the SEL. Sensor
// readings are computed on demand (bmc-model); tick() compares them with the thresholds and
// logs threshold crossings in the SEL, and power changes log Power Unit events, the way a
// real BMC's event receiver would. Each boot (power on, reset) tells its listeners the boot
// device the flags chose (a one-time override is used up by that boot).
// Power, boot flags and a power cycle's pending power-on are the chassis state a real BMC
// keeps while the console is down: the lab saves them (memory/) and starts a BMC from them;
// onStateChange tells it when they move. Sensors, SEL and identify start afresh.
import type { BootDevice, BootFlags } from '../../core/protocols/ipmi/codec/chassis-commands';
import { convertReading, rawFromValue, type Thresholds } from '../../core/protocols/ipmi/codec/sdr';
import { decodeSelEntry, encodeSelEntry, type SelEntry } from '../../core/protocols/ipmi/codec/sel';
import { SENSOR_TYPE } from '../../core/protocols/ipmi/codec/units';
import { POWER_UNIT_SENSOR, sdrRepository, sensorProfile, sensorValues, type SensorDef, type SensorProfile } from './bmc-model';

export type PowerCause = 'ipmi' | 'lab';
/** What a boot boots from: the override in the boot flags, or null for the normal boot order (the disk). */
export type BootTarget = Exclude<BootDevice, 'none'> | null;
export type SimSensorStatus = 'ok' | 'lnc' | 'lcr' | 'lnr' | 'unc' | 'ucr' | 'unr' | 'ns';

export interface SimSensor {
  number: number;
  name: string;
  value: number | null;
  units: string;
  raw: number | null;
  /** Threshold comparison bits (0 lnc, 1 lcr, 2 lnr, 3 unc, 4 ucr, 5 unr). */
  states: number;
  status: SimSensorStatus;
}

export interface BmcStateOptions {
  seed: number;
  /** What the server draws when busy, in watts. */
  nominalWatts?: number;
  /** PSU rating (sizes the power sensors and their thresholds). */
  psuRatedWatts?: number;
  /** Power supplies, each with its own power sensor (default 1). */
  psus?: number;
  poweredOn?: boolean;
  /** Boot flags to start with (default: no override). */
  boot?: BootFlags;
  /** A power cycle's power-on still due (wall clock), from before a restart. */
  powerOnAt?: number | null;
  /** SEL capacity; the oldest entries make room for new ones. */
  selCapacity?: number;
  now?: () => number;
}

const BIT_ORDER: (keyof Thresholds)[] = ['lnc', 'lcr', 'lnr', 'unc', 'ucr', 'unr'];
/** Threshold event offsets: lower thresholds log "going low", upper ones "going high". */
const EVENT_OFFSET = [0x00, 0x02, 0x04, 0x07, 0x09, 0x0b];

function compare(value: number, t: Thresholds): number {
  let bits = 0;
  BIT_ORDER.forEach((k, i) => {
    const v = t[k];
    if (v === null) return;
    if (i < 3 ? value <= v : value >= v) bits |= 1 << i;
  });
  return bits;
}

function statusOf(bits: number): SimSensorStatus {
  if (bits & 0x04) return 'lnr';
  if (bits & 0x20) return 'unr';
  if (bits & 0x02) return 'lcr';
  if (bits & 0x10) return 'ucr';
  if (bits & 0x01) return 'lnc';
  if (bits & 0x08) return 'unc';
  return 'ok';
}

/** The flags of a BMC nobody has set: no override. */
export const NO_BOOT_OVERRIDE: BootFlags = Object.freeze({ valid: false, persistent: false, efi: false, device: 'none' });

export class BmcState {
  readonly defs: SensorDef[];
  readonly sdr: Buffer[];
  private readonly profile: SensorProfile;
  private readonly now: () => number;
  private readonly selCapacity: number;
  private poweredOn: boolean;
  private readonly psus: number;
  private psuInputs: readonly boolean[];
  private identifyUntil = 0;
  private identifyForced = false;
  private bootFlags: BootFlags;
  /** When a power cycle in progress powers the host on again (wall clock); null: none. */
  private cycleOnAt: number | null;
  private lastStates: number[];
  private sel: Buffer[] = [];
  private nextSelId = 1;
  selReservation = 0;
  selLastAdd = 0;
  selLastErase = 0;
  private listeners: ((on: boolean, cause: PowerCause, boot: BootTarget) => void)[] = [];
  private resetListeners: ((boot: BootTarget) => void)[] = [];
  private changeListeners: (() => void)[] = [];

  constructor(o: BmcStateOptions) {
    const psu = o.psuRatedWatts ?? 800;
    this.psus = o.psus ?? 1;
    this.psuInputs = new Array<boolean>(this.psus).fill(true);
    const repo = sdrRepository(psu, this.psus);
    this.defs = repo.defs;
    this.sdr = repo.records;
    this.profile = sensorProfile(o.seed, o.nominalWatts ?? psu * 0.5);
    this.now = o.now ?? Date.now;
    this.selCapacity = o.selCapacity ?? 128;
    this.poweredOn = o.poweredOn ?? true;
    this.bootFlags = { ...(o.boot ?? NO_BOOT_OVERRIDE) };
    this.cycleOnAt = o.powerOnAt ?? null;
    this.lastStates = this.sensors().map((s) => s.states);
  }

  /** Which PSUs have input power, PSU 1 first (the lab's feeds); one without reads 0 W, the others share the draw. */
  setPsuInputs(inputs: readonly boolean[]): void {
    if (inputs.length !== this.psus) throw new RangeError(`lab BMC: ${inputs.length} PSU inputs for ${this.psus} PSUs`);
    this.psuInputs = [...inputs];
  }

  get power(): 'on' | 'off' {
    return this.poweredOn ? 'on' : 'off';
  }

  sensors(): SimSensor[] {
    const values = sensorValues(this.profile, this.poweredOn, this.now(), this.psus, this.psuInputs);
    return this.defs.map((d, i) => {
      const v = values[i];
      if (v === null) return { number: d.number, name: d.name, value: null, units: d.unitName, raw: null, states: 0, status: 'ns' as const };
      const raw = rawFromValue(v, d.conversion);
      const value = convertReading(raw, d.conversion) ?? v;
      const states = compare(value, d.thresholds);
      return { number: d.number, name: d.name, value, units: d.unitName, raw, states, status: statusOf(states) };
    });
  }

  /** Logs threshold crossings since the last tick. */
  tick(): void {
    const now = this.now();
    this.sensors().forEach((s, i) => {
      const before = this.lastStates[i];
      if (s.raw === null || s.states === before) return;
      const d = this.defs[i];
      for (let bit = 0; bit < 6; bit++) {
        const mask = 1 << bit;
        if ((before ^ s.states) & mask) {
          const threshold = d.thresholds[BIT_ORDER[bit]];
          const thrRaw = threshold === null ? 0xff : rawFromValue(threshold, d.conversion);
          this.logEvent(d.sensorType, d.number, (s.states & mask) !== 0, 0x01, [0x50 | EVENT_OFFSET[bit], s.raw, thrRaw], now);
        }
      }
      this.lastStates[i] = s.states;
    });
  }

  logEvent(sensorType: number, sensorNumber: number, asserted: boolean, eventType: number, data: [number, number, number], now = this.now()): void {
    const recordId = this.nextSelId;
    this.nextSelId = this.nextSelId >= 0xfffe ? 1 : this.nextSelId + 1;
    const timestamp = Math.floor(now / 1000);
    this.sel.push(encodeSelEntry({ recordId, timestamp, sensorType, sensorNumber, asserted, eventType, eventData: data }));
    if (this.sel.length > this.selCapacity) this.sel.shift();
    this.selLastAdd = timestamp;
  }

  selRecords(): readonly Buffer[] {
    return this.sel;
  }

  selEntries(): SelEntry[] {
    return this.sel.map(decodeSelEntry);
  }

  selFreeBytes(): number {
    return (this.selCapacity - this.sel.length) * 16;
  }

  clearSel(): void {
    this.sel = [];
    this.selLastErase = Math.floor(this.now() / 1000);
    this.selReservation = (this.selReservation + 1) & 0xffff;
  }

  setPower(on: boolean, cause: PowerCause, cycle = false): void {
    if (cycle) this.logEvent(SENSOR_TYPE.POWER_UNIT, POWER_UNIT_SENSOR, true, 0x6f, [0x01, 0xff, 0xff]);
    if (on === this.poweredOn) return;
    this.poweredOn = on;
    // Power Unit offset 0 "Power off/down": asserted when off, deasserted when back on.
    this.logEvent(SENSOR_TYPE.POWER_UNIT, POWER_UNIT_SENSOR, !on, 0x6f, [0x00, 0xff, 0xff]);
    const boot = on ? this.takeBootTarget() : null;
    this.changed();
    for (const fn of [...this.listeners]) fn(on, cause, boot);
  }

  /** A power cycle's off is done: the host comes on again after delayMs. Returns when (the key for finishCycle). */
  beginCycle(delayMs: number): number {
    this.cycleOnAt = this.now() + delayMs;
    this.changed();
    return this.cycleOnAt;
  }

  /** The cycle due at `at` powers the host on, unless a later cycle or a stop has replaced it. */
  finishCycle(at: number): void {
    if (this.cycleOnAt !== at) return;
    this.cycleOnAt = null;
    this.changed();
    this.setPower(true, 'ipmi');
  }

  /** The pending cycle's power-on is lost (the BMC lost its power, or stops). */
  dropCycle(): void {
    if (this.cycleOnAt === null) return;
    this.cycleOnAt = null;
    this.changed();
  }

  /** When a power cycle in progress powers the host on again (wall clock); null: none. */
  get powerOnAt(): number | null {
    return this.cycleOnAt;
  }

  /** The device this boot boots from; a one-time override is used up by it. */
  private takeBootTarget(): BootTarget {
    const f = this.bootFlags;
    if (!f.valid) return null;
    if (!f.persistent) this.bootFlags = { ...f, valid: false };
    return f.device === 'none' || f.device === 'unknown' ? null : f.device;
  }

  /** Power, boot flags or the pending cycle changed (what the lab's state file keeps). */
  onStateChange(fn: () => void): { dispose(): void } {
    this.changeListeners.push(fn);
    return {
      dispose: () => {
        this.changeListeners = this.changeListeners.filter((l) => l !== fn);
      },
    };
  }

  private changed(): void {
    for (const fn of [...this.changeListeners]) fn();
  }

  /** Power on and off; a power on says what it boots from. */
  onPowerChange(fn: (on: boolean, cause: PowerCause, boot: BootTarget) => void): { dispose(): void } {
    this.listeners.push(fn);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== fn);
      },
    };
  }

  /** A hard reset of a running host: it boots again, from what the flags say. */
  onReset(fn: (boot: BootTarget) => void): { dispose(): void } {
    this.resetListeners.push(fn);
    return {
      dispose: () => {
        this.resetListeners = this.resetListeners.filter((l) => l !== fn);
      },
    };
  }

  reset(): void {
    if (!this.poweredOn) return;
    // System Boot Initiated: "Initiated by hard reset".
    this.logEvent(0x1d, 0x06, true, 0x6f, [0x01, 0xff, 0xff]);
    const boot = this.takeBootTarget();
    this.changed();
    for (const fn of [...this.resetListeners]) fn(boot);
  }

  identify(seconds: number, force: boolean): void {
    this.identifyForced = force;
    this.identifyUntil = force ? 0 : this.now() + seconds * 1000;
  }

  get identifyState(): 'off' | 'temporary' | 'indefinite' {
    if (this.identifyForced) return 'indefinite';
    return this.identifyUntil > this.now() ? 'temporary' : 'off';
  }

  get boot(): BootFlags {
    return this.bootFlags;
  }

  set boot(f: BootFlags) {
    this.bootFlags = f;
    this.changed();
  }

  /** Power Unit state bits: bit 0 = powered off. */
  powerUnitStates(): number {
    return this.poweredOn ? 0 : 1;
  }
}
