// Helpers of the gateway codec tests: bytes from and to hex (spaces allowed, so a fixture can
// be written field by field), and the fault an action throws.
import { MgwCodecError } from '../../../../src-shared/mgw/wire';

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The fault an action throws ('accepted' when it does not); anything but an MgwCodecError escapes. */
export function fault(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof MgwCodecError) return err.fault;
    throw err;
  }
  return 'accepted';
}
