// Lab fault panel actions. The core decides whether this session may inject faults;
// the UI shows its answer, refusal included.
import type { LabFault } from '../../../src-shared/domain';
import { getClient } from '../client';
import { loadElevation } from '../fleet/actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { initialLab, type LabState } from './slice';

const patchLab = (p: Partial<LabState>) => patch('lab', p);

export async function injectFault(fault: LabFault): Promise<void> {
  patchLab({ pending: fault.kind, error: null, result: null });
  try {
    const result = await getClient().call('lab.fault', fault);
    patchLab({ pending: null, result });
    const r = useAppStore.getState().fleet.route;
    if (r.view === 'cabinet') void loadElevation(r.cabinetId);
  } catch (err) {
    patchLab({ pending: null, error: toShownError(err) });
  }
}

export function dismissLabMessage(): void {
  useAppStore.setState({ lab: initialLab });
}

/** Asks whether the lab runs (--no-lab or a configured fleet: it does not). */
export async function loadLabStatus(): Promise<void> {
  try {
    const status = await getClient().call('lab.status', undefined);
    patch('labStatus', { status, error: null });
  } catch (err) {
    patch('labStatus', { error: toShownError(err) });
  }
}
