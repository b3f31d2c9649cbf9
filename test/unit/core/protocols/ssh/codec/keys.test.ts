// The SSH key codec (Ed25519 from a seed, OpenSSH formats ssh2 reads, ssh-keygen fingerprints)
// and trust-on-first-use host key pinning with its named error.
import { describe, expect, it } from 'vitest';
import { serializeError } from '../../../../../../src-shared/errors';
import { SshHostKeyMismatchError, SshTimeoutError } from '../../../../../../src-main/core/protocols/ssh/errors';
import { ed25519KeyPair, fingerprintSha256, parsePublicKeyLine, seedFrom } from '../../../../../../src-main/core/protocols/ssh/codec/keys';
import { checkHostKey, MemoryHostKeyStore } from '../../../../../../src-main/core/protocols/ssh/known-hosts';
import { utils } from '../../../../../../src-main/core/protocols/ssh/codec/ssh2-lib';

describe('SSH key codec', () => {
  it('derives the same Ed25519 key from the same seed, and another from another', () => {
    const a = ed25519KeyPair(seedFrom('lab 1 / dev-0001'), 'root@a');
    expect(ed25519KeyPair(seedFrom('lab 1 / dev-0001'), 'root@a')).toEqual(a);
    expect(ed25519KeyPair(seedFrom('lab 1 / dev-0002')).fingerprint).not.toBe(a.fingerprint);
    expect(a.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+=* root@a$/);
    expect(a.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    expect(() => ed25519KeyPair(Buffer.alloc(31))).toThrow(RangeError);
  });

  it('writes keys ssh2 reads back: same public blob, and it signs what the public key verifies', () => {
    const k = ed25519KeyPair(seedFrom('sign'));
    const priv = utils.parseKey(k.privateKey);
    const pub = utils.parseKey(k.publicKey);
    if (priv instanceof Error || pub instanceof Error) throw priv instanceof Error ? priv : pub;
    expect(priv.type).toBe('ssh-ed25519');
    expect(priv.getPublicSSH().equals(k.publicBlob)).toBe(true);
    const data = Buffer.from('session id and friends');
    expect(pub.verify(data, priv.sign(data) as Buffer)).toBe(true);
  });

  it('fingerprints like ssh-keygen -l: SHA256, base64 without padding', () => {
    // `ssh-keygen -lf` of this public key prints SHA256:wy63JMTTL0L+MIRAPT8mQ9eZMAQiMxb21Rcj27r3bxo
    const line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILJF7+CFXgAjEWM+q9i8l6pxcu7kkWhtpkN8S0zcg2w0 test@lab';
    const parsed = parsePublicKeyLine(line)!;
    expect(parsed).toMatchObject({ type: 'ssh-ed25519', comment: 'test@lab' });
    expect(fingerprintSha256(parsed.blob)).toBe('SHA256:wy63JMTTL0L+MIRAPT8mQ9eZMAQiMxb21Rcj27r3bxo');
    expect(ed25519KeyPair(seedFrom('x')).fingerprint).toBe('SHA256:wy63JMTTL0L+MIRAPT8mQ9eZMAQiMxb21Rcj27r3bxo');
    expect(parsePublicKeyLine('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAILJF7+CFXgAjEWM+q9i8l6pxcu7kkWhtpkN8S0zcg2w0')).toBeNull();
    expect(parsePublicKeyLine('garbage')).toBeNull();
  });
});

describe('host key pinning (trust on first use)', () => {
  it('pins the first key, accepts it again, refuses another, per host and port', () => {
    const store = new MemoryHostKeyStore();
    const k1 = ed25519KeyPair(seedFrom('k1'));
    const k2 = ed25519KeyPair(seedFrom('k2'));
    expect(checkHostKey(store, '10.0.0.1', 22, k1.publicBlob)).toEqual({ ok: true, fingerprint: k1.fingerprint, firstUse: true });
    expect(store.get('10.0.0.1', 22)).toBe(k1.fingerprint);
    expect(checkHostKey(store, '10.0.0.1', 22, k1.publicBlob)).toEqual({ ok: true, fingerprint: k1.fingerprint, firstUse: false });
    expect(checkHostKey(store, '10.0.0.1', 22, k2.publicBlob)).toEqual({ ok: false, expected: k1.fingerprint, actual: k2.fingerprint });
    expect(store.get('10.0.0.1', 22)).toBe(k1.fingerprint); // a refused key never replaces the pin
    expect(checkHostKey(store, '10.0.0.1', 2222, k2.publicBlob)).toMatchObject({ ok: true, firstUse: true });
    store.forget('10.0.0.1', 22);
    expect(checkHostKey(store, '10.0.0.1', 22, k2.publicBlob)).toMatchObject({ ok: true, firstUse: true });
  });

  it('names the host and both fingerprints in the error, its details and its serialized form', () => {
    const e = new SshHostKeyMismatchError('10.0.0.1', 22, 'SHA256:old', 'SHA256:new');
    expect(e.message).toContain('10.0.0.1:22');
    expect(e.message).toContain('SHA256:old');
    expect(e.message).toContain('SHA256:new');
    expect(serializeError(e)).toEqual({
      name: 'SshHostKeyMismatchError', code: 'CONFLICT', message: e.message,
      params: { host: '10.0.0.1', port: 22, expected: 'SHA256:old', actual: 'SHA256:new' },
    });
    const t = new SshTimeoutError('h', 22, 'sleep 9', 500, new Error('inner'));
    expect(t.cause).toBeInstanceOf(Error);
    expect(serializeError(t).params).toEqual({ host: 'h', port: 22, command: 'sleep 9', timeoutMs: 500 });
  });
});
