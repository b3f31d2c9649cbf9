// SSH key codec: fingerprints as OpenSSH prints them, and Ed25519 key pairs in OpenSSH's
// own formats (private "openssh-key-v1" PEM, public "ssh-ed25519 AAAA..." line). Pure
// functions over node:crypto; a key pair can be derived from a 32-byte seed, so the lab
// gets stable host keys per seed and tests get keys without running ssh-keygen.
import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';

/** "SHA256:<base64, no padding>" of a public key blob (the wire encoding), like `ssh-keygen -l`. */
export function fingerprintSha256(publicKeyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The blob of an OpenSSH public key line ("type base64 [comment]"), or null if malformed. */
export function parsePublicKeyLine(line: string): { type: string; blob: Buffer; comment: string } | null {
  const m = /^\s*(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*?))?\s*$/.exec(line);
  if (!m) return null;
  const blob = Buffer.from(m[2], 'base64');
  const type = readString(blob, 0);
  if (!type || type.value.toString('latin1') !== m[1]) return null;
  return { type: m[1], blob, comment: m[3] ?? '' };
}

export interface SshKeyPair {
  /** OpenSSH private key PEM ("-----BEGIN OPENSSH PRIVATE KEY-----"), unencrypted. */
  privateKey: string;
  /** "ssh-ed25519 AAAA... comment" */
  publicKey: string;
  /** Public key wire blob: what the host presents and what fingerprints hash. */
  publicBlob: Buffer;
  fingerprint: string;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 key pair from a 32-byte seed (random when omitted). Same seed, same key. */
export function ed25519KeyPair(seed: Uint8Array = randomBytes(32), comment = ''): SshKeyPair {
  if (seed.length !== 32) throw new RangeError(`ed25519 seed must be 32 bytes, got ${seed.length}`);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(priv).export({ format: 'jwk' });
  const pub = Buffer.from(jwk.x as string, 'base64url');
  const type = Buffer.from('ssh-ed25519');
  const publicBlob = Buffer.concat([sshString(type), sshString(pub)]);
  // The checkint pair guards decryption; unencrypted keys still carry it. Derive it from the
  // seed so the encoding is deterministic too.
  const check = createHash('sha256').update(seed).digest().subarray(0, 4);
  const plain = [check, check, sshString(type), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(Buffer.from(comment))];
  let section = Buffer.concat(plain);
  const pad = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString(Buffer.from('none')), sshString(Buffer.from('none')), sshString(Buffer.alloc(0)),
    uint32(1), sshString(publicBlob), sshString(section),
  ]);
  const b64 = body.toString('base64').replace(/.{1,70}/g, '$&\n');
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${publicBlob.toString('base64')}${comment ? ` ${comment}` : ''}`,
    publicBlob,
    fingerprint: fingerprintSha256(publicBlob),
  };
}

/** A seed derived from any label (e.g. "lab 7 host dev-0042"): stable, 32 bytes. */
export function seedFrom(label: string): Buffer {
  return createHash('sha256').update(`fleetdeck-ssh-key/${label}`).digest();
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function sshString(data: Uint8Array): Buffer {
  return Buffer.concat([uint32(data.length), data]);
}

function readString(buf: Buffer, offset: number): { value: Buffer; next: number } | null {
  if (buf.length < offset + 4) return null;
  const len = buf.readUInt32BE(offset);
  if (buf.length < offset + 4 + len) return null;
  return { value: buf.subarray(offset + 4, offset + 4 + len), next: offset + 4 + len };
}
