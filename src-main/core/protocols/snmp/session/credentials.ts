// SNMP credentials: a v2c community or a v3 USM user, and the USM user as net-snmp takes it
// (checked first: a ValidationError names what is wrong, never the keys themselves).
import * as snmp from 'net-snmp';
import { ValidationError } from '../../../../../src-shared/errors';

export type SnmpAuthProtocol = 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
/** net-snmp's names: aes = AES-128 (RFC 3826); aes256b = AES-256 with Blumenthal key extension
 * (net-snmp C's "AES-256"); aes256r = AES-256 with Reeder key extension (Cisco's). */
export type SnmpPrivProtocol = 'des' | 'aes' | 'aes256b' | 'aes256r';
export type SnmpSecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

export interface SnmpUser {
  name: string;
  /** Derived from the keys given when absent. */
  level?: SnmpSecurityLevel;
  authProtocol?: SnmpAuthProtocol;
  authKey?: string;
  privProtocol?: SnmpPrivProtocol;
  privKey?: string;
}

export type SnmpCredentials =
  | { version: '2c'; community: string }
  | { version: '3'; user: SnmpUser; context?: string };

/** net-snmp's user object for a USM user; ValidationError when the keys do not fit the level. */
export function netSnmpUser(user: SnmpUser): snmp.User {
  const level = user.level ?? (user.privKey ? 'authPriv' : user.authKey ? 'authNoPriv' : 'noAuthNoPriv');
  if (!user.name) throw new ValidationError('an SNMPv3 user needs a name');
  const out: snmp.User = { name: user.name, level: snmp.SecurityLevel[level] };
  if (level !== 'noAuthNoPriv') {
    const auth = user.authProtocol ?? 'sha';
    if (!(auth in AUTH)) throw new ValidationError(`unknown SNMPv3 auth protocol "${auth}"`);
    if (!user.authKey || user.authKey.length < 8) throw new ValidationError(`SNMPv3 user ${user.name}: the auth passphrase needs at least 8 characters`);
    out.authProtocol = AUTH[auth];
    out.authKey = user.authKey;
  }
  if (level === 'authPriv') {
    const priv = user.privProtocol ?? 'aes';
    if (!(priv in PRIV)) throw new ValidationError(`unknown SNMPv3 privacy protocol "${priv}"`);
    if (!user.privKey || user.privKey.length < 8) throw new ValidationError(`SNMPv3 user ${user.name}: the privacy passphrase needs at least 8 characters`);
    out.privProtocol = PRIV[priv];
    out.privKey = user.privKey;
  }
  return out;
}

const AUTH: Record<SnmpAuthProtocol, snmp.AuthProtocols> = {
  md5: snmp.AuthProtocols.md5, sha: snmp.AuthProtocols.sha, sha224: snmp.AuthProtocols.sha224,
  sha256: snmp.AuthProtocols.sha256, sha384: snmp.AuthProtocols.sha384, sha512: snmp.AuthProtocols.sha512,
};
const PRIV: Record<SnmpPrivProtocol, snmp.PrivProtocols> = {
  des: snmp.PrivProtocols.des, aes: snmp.PrivProtocols.aes, aes256b: snmp.PrivProtocols.aes256b, aes256r: snmp.PrivProtocols.aes256r,
};
