// The embedded lab fleet: its state, and the faults an operator injects into it.
import { z } from 'zod';
import { method, noArgs, result, text } from './contract';
import { CABINET_FAULTS, DEVICE_FAULTS, type LabStatus } from '../domain/lab';
import { FEEDS } from '../power-feeds';

const labFault = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(DEVICE_FAULTS), deviceId: text(200) }),
  // feed: one feed's PDU only (trip-pdu / restore-pdu); without it, the whole cabinet.
  z.strictObject({ kind: z.enum(CABINET_FAULTS), cabinetId: text(200), feed: z.enum(FEEDS).optional() }),
]);

export const labMethods = {
  'lab.status': method({ role: 'viewer', args: noArgs, result: result<LabStatus>(), example: undefined }),
  'lab.fault': method({
    role: 'operator',
    args: labFault,
    result: result<LabStatus>(),
    audit: (f) => `${f.kind} ${'deviceId' in f ? f.deviceId : f.cabinetId}${'feed' in f && f.feed ? ` feed ${f.feed}` : ''}`,
    example: { kind: 'kill-device', deviceId: 'dev-1' },
  }),
};
