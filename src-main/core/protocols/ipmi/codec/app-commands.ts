// Application commands (netFn 0x06): channel authentication capabilities, the IPMI 1.5
// session handshake, session privilege and close, Get Device ID.
import { Reader, check } from './reader';

export interface ChannelAuthCapabilities {
  channel: number;
  /** IPMI 1.5 auth types the channel accepts. */
  authTypes: { none: boolean; md2: boolean; md5: boolean; password: boolean; oem: boolean };
  /** The BMC reported IPMI 2.0 extended capabilities (byte 2 bit 7). */
  extended: boolean;
  ipmi15: boolean;
  ipmi20: boolean;
  kgSet: boolean;
  perMessageAuth: boolean;
  userLevelAuth: boolean;
  nonNullUsers: boolean;
  nullUsers: boolean;
  anonymousLogin: boolean;
  oemId: number;
  oemAux: number;
}

/** Request: channel 0x0E (this one), bit 7 asks for IPMI 2.0 data; the privilege wanted. */
export function encodeGetChannelAuthCapabilities(privilege: number, ipmi20 = true, channel = 0x0e): Buffer {
  return Buffer.from([(channel & 0x0f) | (ipmi20 ? 0x80 : 0), privilege & 0x0f]);
}

export function decodeGetChannelAuthCapabilitiesRequest(data: Buffer): { channel: number; ipmi20: boolean; privilege: number } {
  const r = new Reader(data, 'Get Channel Auth Capabilities request');
  const c = r.u8();
  return { channel: c & 0x0f, ipmi20: (c & 0x80) !== 0, privilege: r.u8() & 0x0f };
}

export function encodeChannelAuthCapabilities(c: ChannelAuthCapabilities): Buffer {
  const a = c.authTypes;
  const b = Buffer.alloc(8);
  b[0] = c.channel;
  b[1] = (c.extended ? 0x80 : 0) | (a.oem ? 0x20 : 0) | (a.password ? 0x10 : 0) | (a.md5 ? 0x04 : 0) | (a.md2 ? 0x02 : 0) | (a.none ? 0x01 : 0);
  b[2] = (c.kgSet ? 0x20 : 0) | (c.perMessageAuth ? 0 : 0x10) | (c.userLevelAuth ? 0 : 0x08) | (c.nonNullUsers ? 0x04 : 0) | (c.nullUsers ? 0x02 : 0) | (c.anonymousLogin ? 0x01 : 0);
  b[3] = (c.ipmi20 ? 0x02 : 0) | (c.ipmi15 ? 0x01 : 0);
  b.writeUIntLE(c.oemId & 0xffffff, 4, 3);
  b[7] = c.oemAux;
  return b;
}

export function decodeChannelAuthCapabilities(data: Buffer): ChannelAuthCapabilities {
  const r = new Reader(data, 'Get Channel Auth Capabilities response');
  const channel = r.u8();
  const t = r.u8();
  const s = r.u8();
  const x = r.u8();
  const extended = (t & 0x80) !== 0;
  const oemId = r.remaining >= 3 ? r.bytes(3).readUIntLE(0, 3) : 0;
  const oemAux = r.remaining >= 1 ? r.u8() : 0;
  return {
    channel,
    authTypes: { none: (t & 0x01) !== 0, md2: (t & 0x02) !== 0, md5: (t & 0x04) !== 0, password: (t & 0x10) !== 0, oem: (t & 0x20) !== 0 },
    extended,
    // A BMC without the extended byte speaks IPMI 1.5 only.
    ipmi15: extended ? (x & 0x01) !== 0 : true,
    ipmi20: extended && (x & 0x02) !== 0,
    kgSet: (s & 0x20) !== 0,
    perMessageAuth: (s & 0x10) === 0,
    userLevelAuth: (s & 0x08) === 0,
    nonNullUsers: (s & 0x04) !== 0,
    nullUsers: (s & 0x02) !== 0,
    anonymousLogin: (s & 0x01) !== 0,
    oemId,
    oemAux,
  };
}

/** The 16-byte, zero-padded user name of the IPMI 1.5 commands. */
export function username16(name: Buffer): Buffer {
  check(name.length <= 16, 'IPMI user names are at most 16 bytes');
  const b = Buffer.alloc(16);
  name.copy(b);
  return b;
}

export function encodeGetSessionChallenge(authType: number, username: Buffer): Buffer {
  return Buffer.concat([Buffer.from([authType]), username16(username)]);
}

export function decodeGetSessionChallengeRequest(data: Buffer): { authType: number; username: Buffer } {
  const r = new Reader(data, 'Get Session Challenge request');
  const authType = r.u8() & 0x0f;
  const raw = r.bytes(16);
  const end = raw.indexOf(0);
  return { authType, username: Buffer.from(raw.subarray(0, end < 0 ? 16 : end)) };
}

export function encodeSessionChallenge(tempSessionId: number, challenge: Buffer): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(tempSessionId >>> 0, 0);
  challenge.copy(b, 4, 0, 16);
  return b;
}

export function decodeSessionChallenge(data: Buffer): { tempSessionId: number; challenge: Buffer } {
  const r = new Reader(data, 'Get Session Challenge response');
  return { tempSessionId: r.u32le(), challenge: Buffer.from(r.bytes(16)) };
}

export interface ActivateSessionRequest {
  authType: number;
  maxPrivilege: number;
  challenge: Buffer;
  initialOutboundSequence: number;
}

export function encodeActivateSession(o: ActivateSessionRequest): Buffer {
  const b = Buffer.alloc(22);
  b[0] = o.authType;
  b[1] = o.maxPrivilege;
  o.challenge.copy(b, 2, 0, 16);
  b.writeUInt32LE(o.initialOutboundSequence >>> 0, 18);
  return b;
}

export function decodeActivateSessionRequest(data: Buffer): ActivateSessionRequest {
  const r = new Reader(data, 'Activate Session request');
  return { authType: r.u8() & 0x0f, maxPrivilege: r.u8() & 0x0f, challenge: Buffer.from(r.bytes(16)), initialOutboundSequence: r.u32le() };
}

export interface ActivateSessionResponse {
  authType: number;
  sessionId: number;
  initialInboundSequence: number;
  maxPrivilege: number;
}

export function encodeActivateSessionResponse(o: ActivateSessionResponse): Buffer {
  const b = Buffer.alloc(10);
  b[0] = o.authType;
  b.writeUInt32LE(o.sessionId >>> 0, 1);
  b.writeUInt32LE(o.initialInboundSequence >>> 0, 5);
  b[9] = o.maxPrivilege;
  return b;
}

export function decodeActivateSessionResponse(data: Buffer): ActivateSessionResponse {
  const r = new Reader(data, 'Activate Session response');
  return { authType: r.u8() & 0x0f, sessionId: r.u32le(), initialInboundSequence: r.u32le(), maxPrivilege: r.u8() & 0x0f };
}

export function encodeCloseSession(sessionId: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(sessionId >>> 0);
  return b;
}

export interface DeviceId {
  deviceId: number;
  deviceRevision: number;
  providesDeviceSdrs: boolean;
  /** "major.minor" as ipmitool prints it, e.g. "9.08". */
  firmwareRevision: string;
  firmwareMajor: number;
  firmwareMinor: number;
  deviceAvailable: boolean;
  /** "2.0" or "1.5". */
  ipmiVersion: string;
  additionalDeviceSupport: number;
  manufacturerId: number;
  productId: number;
  auxFirmwareRevision: Buffer | null;
}

export function decodeDeviceId(data: Buffer): DeviceId {
  const r = new Reader(data, 'Get Device ID response');
  const deviceId = r.u8();
  const rev = r.u8();
  const fw1 = r.u8();
  const fw2 = r.u8();
  const ver = r.u8();
  const additionalDeviceSupport = r.u8();
  const manufacturerId = r.bytes(3).readUIntLE(0, 3) & 0x0fffff;
  const productId = r.u16le();
  const auxFirmwareRevision = r.remaining >= 4 ? Buffer.from(r.bytes(4)) : null;
  const minorBcd = fw2.toString(16).padStart(2, '0');
  return {
    deviceId,
    deviceRevision: rev & 0x0f,
    providesDeviceSdrs: (rev & 0x80) !== 0,
    firmwareMajor: fw1 & 0x7f,
    firmwareMinor: fw2,
    firmwareRevision: `${fw1 & 0x7f}.${minorBcd}`,
    deviceAvailable: (fw1 & 0x80) === 0,
    ipmiVersion: `${ver & 0x0f}.${ver >> 4}`,
    additionalDeviceSupport,
    manufacturerId,
    productId,
    auxFirmwareRevision,
  };
}

export function encodeDeviceId(d: Omit<DeviceId, 'firmwareRevision' | 'ipmiVersion'> & { ipmiVersion?: string }): Buffer {
  const b = Buffer.alloc(d.auxFirmwareRevision ? 15 : 11);
  b[0] = d.deviceId;
  b[1] = (d.providesDeviceSdrs ? 0x80 : 0) | (d.deviceRevision & 0x0f);
  b[2] = (d.deviceAvailable ? 0 : 0x80) | (d.firmwareMajor & 0x7f);
  b[3] = d.firmwareMinor;
  const [maj, min] = (d.ipmiVersion ?? '2.0').split('.').map(Number);
  b[4] = ((min & 0x0f) << 4) | (maj & 0x0f);
  b[5] = d.additionalDeviceSupport;
  b.writeUIntLE(d.manufacturerId & 0x0fffff, 6, 3);
  b.writeUInt16LE(d.productId & 0xffff, 9);
  d.auxFirmwareRevision?.copy(b, 11, 0, 4);
  return b;
}
