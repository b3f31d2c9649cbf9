// How a site or room reads on the overview once some devices cannot be polled at all: those
// without an SNMP credential are "not monitored", counted apart and never as failures, so a
// site of them is grey, not a red 0 %. Tolerates counts an older core does not send. Pure.
import { healthTone, type Tone } from '../../components/tone';

export interface OverviewCounts {
  readonly devices: number;
  readonly answering: number;
  readonly polled: number;
  readonly degraded?: number;
  readonly unreachable?: number;
  readonly notMonitored?: number;
}

export interface Monitoring {
  devices: number;
  answering: number;
  polled: number;
  degraded: number;
  /** Devices the console can poll: devices - notMonitored. */
  monitored: number;
  unreachable: number;
  notMonitored: number;
  /** Nothing here can be polled: show "not monitored", no bar, no red. */
  unmonitored: boolean;
  /** Coloured against what has been polled; 'empty' (grey) when nothing is monitored. */
  tone: Tone;
}

const count = (v: number | undefined): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

export function monitoringOf(c: OverviewCounts): Monitoring {
  const devices = count(c.devices);
  const answering = count(c.answering);
  const polled = count(c.polled);
  const degraded = count(c.degraded);
  const notMonitored = Math.min(devices, count(c.notMonitored));
  const monitored = devices - notMonitored;
  // An older core sends no unreachable count: polled and not answering is the same thing.
  const unreachable = c.unreachable === undefined ? Math.max(0, polled - answering) : count(c.unreachable);
  const unmonitored = devices > 0 && monitored === 0;
  return {
    devices,
    answering,
    polled,
    degraded,
    monitored,
    unreachable,
    notMonitored,
    unmonitored,
    tone: unmonitored ? 'empty' : healthTone(answering, polled, degraded),
  };
}
