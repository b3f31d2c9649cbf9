// The embedded lab fleet: its state, and the faults an operator injects into it.
import { z } from 'zod';
import { method, noArgs, result, text } from './contract';
import { CABINET_FAULTS, DEVICE_FAULTS, type LabStatus } from '../domain/lab';

const labFault = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(DEVICE_FAULTS), deviceId: text(200) }),
  z.strictObject({ kind: z.enum(CABINET_FAULTS), cabinetId: text(200) }),
]);

export const labMethods = {
  'lab.status': method({ role: 'viewer', args: noArgs, result: result<LabStatus>(), example: undefined }),
  'lab.fault': method({
    role: 'operator',
    args: labFault,
    result: result<LabStatus>(),
    audit: (f) => `${f.kind} ${'deviceId' in f ? f.deviceId : f.cabinetId}`,
    example: { kind: 'kill-device', deviceId: 'dev-1' },
  }),
};
