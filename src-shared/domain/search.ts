// Finding a device by what a technician has in hand: serial number, hostname, management
// or BMC address; prefix and one-typo tolerant.
import type { DeviceKind } from './inventory';

export const SEARCH_FIELDS = ['sn', 'hostname', 'mgmtIp', 'bmcAddress'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export interface DeviceSearchHit {
  readonly deviceId: string;
  readonly hostname: string;
  readonly sn: string;
  readonly kind: DeviceKind;
  readonly mgmtIp: string;
  readonly bmcAddress: string | null;
  /** Which field matched, and how: the whole value, a prefix of it, or within one edit. */
  readonly field: SearchField;
  readonly match: 'exact' | 'prefix' | 'typo';
  /** Where it sits. */
  readonly siteName: string;
  readonly roomName: string;
  readonly cabinetId: string;
  readonly cabinetName: string;
  readonly uPosition: number;
}
