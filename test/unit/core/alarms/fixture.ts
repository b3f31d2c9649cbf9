// A small inventory for the alarm tests: one site, one room, two rows; row r1 has cabinet c1
// (feeds A and B: pdu-a, pdu-b, a ToR switch tor1 and two servers) and cabinet c2 (one feed:
// pdu2 and server s3); row r2 has cabinet c3 with server s4 and no switch. Also an alarm maker.
import { alarmId, type Alarm } from '../../../../src-shared/domain/alarm';
import type { DeviceKind } from '../../../../src-shared/domain/inventory';

const dev = (id: string, cabinetId: string, kind: DeviceKind, uPosition: number) => ({ id, cabinetId, kind, hostname: id, uPosition });

export const inventory = {
  sites: [{ id: 'site1' }],
  rooms: [{ id: 'room1', siteId: 'site1' }],
  rows: [{ id: 'r1', roomId: 'room1' }, { id: 'r2', roomId: 'room1' }],
  cabinets: [
    { id: 'c1', rowId: 'r1', feedA: 'A-01', feedB: 'B-01' },
    { id: 'c2', rowId: 'r1', feedA: 'A-02', feedB: null },
    { id: 'c3', rowId: 'r2', feedA: null, feedB: null },
  ],
  devices: [
    dev('c1-pdu-a', 'c1', 'pdu', 0), dev('c1-pdu-b', 'c1', 'pdu', 0), dev('tor1', 'c1', 'switch', 42),
    dev('s1', 'c1', 'server', 1), dev('s2', 'c1', 'server', 3),
    dev('pdu2', 'c2', 'pdu', 0), dev('s3', 'c2', 'server', 1),
    dev('s4', 'c3', 'server', 1),
  ],
};

export function firing(ruleId: string, objectId: string, over: Partial<Alarm> = {}): Alarm {
  return {
    id: alarmId(ruleId, objectId), ruleId, objectId, severity: 'major', state: 'firing', occurrences: 1,
    firstSeen: 0, lastSeen: 0, since: 0, value: null, masked: false, ...over,
  };
}
