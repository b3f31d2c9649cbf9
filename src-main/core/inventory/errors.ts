// The inventory's own errors beyond validation (which is ValidationError with import issues):
// a place that cannot be deleted because it still holds something.
import type { LocationKind, RecordCounts } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';

/** inventory.deleteLocation of a site, room, row or cabinet that is not empty (CONFLICT); `holds` counts its whole subtree. */
export class LocationNotEmptyError extends FleetDeckError {
  constructor(kind: LocationKind, id: string, name: string, holds: RecordCounts) {
    const what = (Object.entries(holds) as [string, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${n === 1 ? k.replace(/s$/, '') : k}`).join(', ');
    super('CONFLICT', `The ${kind} "${name}" (${id}) still holds ${what}; empty it first, or replace it by an import`, { kind, id, name, holds });
    this.name = 'LocationNotEmptyError';
  }
}
