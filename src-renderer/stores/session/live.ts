// Everything that follows the core while signed in, attached and disposed as one: the live
// channels' feeds first, then each capability's live updates; and the reload after a
// reconnect, and the reset on sign-out.
import type { CoreClient, Disposable } from '../../../src-shared/api';
import { attachAlarmsLive, loadFiring } from '../alarms/actions';
import { initialAlarms } from '../alarms/slice';
import { attachDeviceLive } from '../device/actions';
import { initialDevice } from '../device/slice';
import { attachEventsLive, loadRecentEvents } from '../events/actions';
import { initialEvents } from '../events/slice';
import { attachFleetLive, loadOverview, refreshOpenView } from '../fleet/actions';
import { initialFleet } from '../fleet/slice';
import { initialInventory } from '../inventory/slice';
import { initialLab } from '../lab/slice';
import { clearDeviceStatus, feedDeviceStatus } from '../live/device-status';
import { attachRunLive } from '../run/actions';
import { initialRun } from '../run/slice';
import { attachWorkflowsLive } from '../workflows/run-actions';
import { initialWorkflows } from '../workflows/slice';
import { useAppStore } from '../store';

export function attachLive(client: CoreClient): Disposable {
  const subs = [feedDeviceStatus(client), attachFleetLive(client), attachDeviceLive(client), attachRunLive(client), attachEventsLive(client), attachWorkflowsLive(client), attachAlarmsLive(client)];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}

/** Reload whatever is on screen (after a reconnect, or when asked to retry). */
export function reloadAll(): void {
  void loadOverview();
  void loadRecentEvents();
  refreshOpenView();
  useAppStore.setState((s) => ({ alarms: { ...s.alarms, seq: s.alarms.seq + 1 } }));
  void loadFiring();
}

/** Forgets the signed-in session's fleet (sign-out, or a token refused on reconnect). */
export function resetFleetState(): void {
  clearDeviceStatus();
  useAppStore.setState({ fleet: initialFleet, lab: initialLab, inventory: initialInventory, device: initialDevice, events: initialEvents, run: initialRun, workflows: initialWorkflows, alarms: initialAlarms });
}
