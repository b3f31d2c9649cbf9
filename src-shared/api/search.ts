// Search: one box, any identifier a technician has (SN, hostname, management or BMC IP).
import { z } from 'zod';
import { method, optInt, result, text } from './contract';
import type { DeviceSearchHit } from '../domain/search';

export const searchMethods = {
  /** Best matches first: exact, then prefix, then one edit away; at most limit (default 20). */
  'search.devices': method({
    role: 'viewer',
    args: z.strictObject({ q: text(200), limit: optInt(1, 100) }),
    result: result<DeviceSearchHit[]>(),
    example: { q: 'SN-0012', limit: 10 },
  }),
};
