// The IPMI LAN message that every session format carries (IPMI v2.0 section 13.8):
//   rsAddr | netFn/rsLUN | chk1 | rqAddr | rqSeq/rqLUN | cmd | data... | chk2
// A response carries the same layout with the addresses swapped, netFn + 1 and the
// completion code as its first data byte.
import { BMC_SLAVE_ADDRESS, REMOTE_CONSOLE_ADDRESS } from './constants';
import { Reader, check } from './reader';

/** Two's-complement checksum: the bytes plus it sum to 0 mod 256. */
export function checksum(buf: Buffer, start = 0, end = buf.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + buf[i]) & 0xff;
  return (0x100 - sum) & 0xff;
}

export interface IpmiRequest {
  netFn: number;
  cmd: number;
  data: Buffer;
  /** 6-bit request sequence; the response echoes it. */
  rqSeq: number;
  rsAddr?: number;
  rsLun?: number;
  rqAddr?: number;
  rqLun?: number;
}

export interface IpmiResponse {
  /** The request's netFn (the response byte carries netFn + 1). */
  netFn: number;
  cmd: number;
  rqSeq: number;
  completionCode: number;
  /** Data after the completion code. */
  data: Buffer;
  rsAddr: number;
  rqAddr: number;
  rsLun: number;
  rqLun: number;
}

export function encodeRequest(req: IpmiRequest): Buffer {
  const rsAddr = req.rsAddr ?? BMC_SLAVE_ADDRESS;
  const rqAddr = req.rqAddr ?? REMOTE_CONSOLE_ADDRESS;
  const b = Buffer.alloc(7 + req.data.length);
  b[0] = rsAddr;
  b[1] = ((req.netFn & 0x3f) << 2) | ((req.rsLun ?? 0) & 3);
  b[2] = checksum(b, 0, 2);
  b[3] = rqAddr;
  b[4] = ((req.rqSeq & 0x3f) << 2) | ((req.rqLun ?? 0) & 3);
  b[5] = req.cmd & 0xff;
  req.data.copy(b, 6);
  b[b.length - 1] = checksum(b, 3, b.length - 1);
  return b;
}

/** Parses a request as a BMC receives it. */
export function decodeRequest(buf: Buffer): Required<IpmiRequest> {
  check(buf.length >= 7, `IPMI request of ${buf.length} bytes is shorter than 7`);
  check(checksum(buf, 0, 3) === 0, 'IPMI request header checksum does not verify');
  check(checksum(buf, 3, buf.length) === 0, 'IPMI request data checksum does not verify');
  return {
    rsAddr: buf[0],
    netFn: buf[1] >> 2,
    rsLun: buf[1] & 3,
    rqAddr: buf[3],
    rqSeq: buf[4] >> 2,
    rqLun: buf[4] & 3,
    cmd: buf[5],
    data: Buffer.from(buf.subarray(6, buf.length - 1)),
  };
}

export function encodeResponse(req: Required<IpmiRequest>, completionCode: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(8 + data.length);
  b[0] = req.rqAddr;
  b[1] = (((req.netFn | 1) & 0x3f) << 2) | (req.rqLun & 3);
  b[2] = checksum(b, 0, 2);
  b[3] = req.rsAddr;
  b[4] = ((req.rqSeq & 0x3f) << 2) | (req.rsLun & 3);
  b[5] = req.cmd;
  b[6] = completionCode & 0xff;
  data.copy(b, 7);
  b[b.length - 1] = checksum(b, 3, b.length - 1);
  return b;
}

export function decodeResponse(buf: Buffer): IpmiResponse {
  check(buf.length >= 8, `IPMI response of ${buf.length} bytes is shorter than 8`);
  check(checksum(buf, 0, 3) === 0, 'IPMI response header checksum does not verify');
  check(checksum(buf, 3, buf.length) === 0, 'IPMI response data checksum does not verify');
  const netFnResp = buf[1] >> 2;
  check((netFnResp & 1) === 1, `netFn 0x${netFnResp.toString(16)} is not a response netFn`);
  const r = new Reader(buf, 'IPMI response', 7);
  return {
    rqAddr: buf[0],
    netFn: netFnResp & 0x3e,
    rqLun: buf[1] & 3,
    rsAddr: buf[3],
    rqSeq: buf[4] >> 2,
    rsLun: buf[4] & 3,
    cmd: buf[5],
    completionCode: buf[6],
    data: Buffer.from(r.bytes(buf.length - 8)),
  };
}

/** netFn/cmd -> a readable command name for errors and logs. */
export function commandName(netFn: number, cmd: number): string {
  return COMMAND_NAMES[`${netFn}:${cmd}`] ?? `netFn 0x${netFn.toString(16)} cmd 0x${cmd.toString(16)}`;
}

const COMMAND_NAMES: Record<string, string> = {
  '0:0': 'Get Chassis Capabilities',
  '0:1': 'Get Chassis Status',
  '0:2': 'Chassis Control',
  '0:4': 'Chassis Identify',
  '0:8': 'Set System Boot Options',
  '0:9': 'Get System Boot Options',
  '4:37': 'Get Sensor Hysteresis',
  '4:39': 'Get Sensor Thresholds',
  '4:41': 'Get Sensor Event Enable',
  '4:45': 'Get Sensor Reading',
  '6:1': 'Get Device ID',
  '6:8': 'Get Device GUID',
  '6:56': 'Get Channel Authentication Capabilities',
  '6:57': 'Get Session Challenge',
  '6:58': 'Activate Session',
  '6:59': 'Set Session Privilege Level',
  '6:60': 'Close Session',
  '6:84': 'Get Channel Cipher Suites',
  '10:32': 'Get SDR Repository Info',
  '10:34': 'Reserve SDR Repository',
  '10:35': 'Get SDR',
  '10:64': 'Get SEL Info',
  '10:66': 'Reserve SEL',
  '10:67': 'Get SEL Entry',
  '10:71': 'Clear SEL',
  '10:72': 'Get SEL Time',
  '44:1': 'DCMI Get Capabilities',
  '44:2': 'DCMI Get Power Reading',
};
