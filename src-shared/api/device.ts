// One device: its detail page, its BMC, and the control actions on it (power, identify,
// boot device, SSH host key). Power and forgetting a host key must name the device's hostname.
import { z } from 'zod';
import { method, optInt, result, text } from './contract';
import { BOOT_DEVICES, POWER_ACTIONS, type BmcInfo, type DeviceDetail } from '../domain/device';

const deviceId = text(200);
const confirmHostname = text(255);

export const deviceMethods = {
  'device.detail': method({ role: 'viewer', args: z.strictObject({ deviceId }), result: result<DeviceDetail>(), example: { deviceId: 'dev-1' } }),
  /** Live IPMI: chassis status, sensors, SEL and power of the device's BMC. */
  'device.bmc': method({ role: 'viewer', args: z.strictObject({ deviceId }), result: result<BmcInfo>(), example: { deviceId: 'dev-1' } }),
  /** confirmHostname must equal the device's hostname: the core refuses anything else. */
  'device.power': method({
    role: 'operator',
    confirm: 'always',
    args: z.strictObject({ deviceId, action: z.enum(POWER_ACTIONS), confirmHostname }),
    result: result<{ power: 'on' | 'off' }>(),
    audit: (a) => `${a.action} ${a.deviceId} (confirmed as "${a.confirmHostname}")`,
    example: { deviceId: 'dev-1', action: 'off', confirmHostname: 'srv-1' },
  }),
  'device.identify': method({
    role: 'operator',
    args: z.strictObject({ deviceId, seconds: optInt(0, 255), force: z.boolean().optional() }),
    result: result<{ ok: true }>(),
    audit: (a) => `${a.deviceId}${a.seconds !== undefined ? ` ${a.seconds} s` : ''}`,
    example: { deviceId: 'dev-1', seconds: 15 },
  }),
  'device.bootDevice': method({
    role: 'operator',
    args: z.strictObject({ deviceId, device: z.enum(BOOT_DEVICES), persistent: z.boolean().optional() }),
    result: result<{ ok: true }>(),
    audit: (a) => `${a.deviceId} ${a.device}`,
    example: { deviceId: 'dev-1', device: 'pxe' },
  }),
  /** The SSH host-key fingerprint pinned for the device (null: none yet). */
  'device.hostKey': method({
    role: 'viewer',
    args: z.strictObject({ deviceId }),
    result: result<{ host: string; port: number; fingerprint: string | null }>(),
    example: { deviceId: 'dev-1' },
  }),
  /** Admin: forget the pinned key after a reinstall; confirmHostname must equal the device's hostname. */
  'device.forgetHostKey': method({
    role: 'admin',
    confirm: 'always',
    args: z.strictObject({ deviceId, confirmHostname }),
    result: result<{ forgotten: string | null }>(),
    audit: (a) => `SSH host key of ${a.deviceId} (confirmed as "${a.confirmHostname}")`,
    example: { deviceId: 'dev-1', confirmHostname: 'srv-1' },
  }),
};
