import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox, SecretDecryptError } from '../../../../src-main/core/security/secret-box';
import { keyFromPassphrase, KeyFileError, loadOrCreateKeyFile } from '../../../../src-main/core/security/secret-key';
import { CredentialRepository } from '../../../../src-main/core/store/credential-repository';
import { openStore } from '../../../../src-main/core/store/database';

describe('credential encryption at rest', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fd-sec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 key file and reuses it', () => {
    const path = join(dir, 'k', 'secret.key');
    const a = loadOrCreateKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(path).equals(a)).toBe(true);
  });

  it('refuses a key file others can read, naming the fix', () => {
    const path = join(dir, 'open.key');
    writeFileSync(path, randomBytes(32));
    chmodSync(path, 0o644);
    expect(() => loadOrCreateKeyFile(path)).toThrow(KeyFileError);
    expect(() => loadOrCreateKeyFile(path)).toThrow(/0644.*chmod 600/);
  });

  it('refuses a key file of the wrong size', () => {
    const path = join(dir, 'short.key');
    writeFileSync(path, randomBytes(5), { mode: 0o600 });
    expect(() => loadOrCreateKeyFile(path)).toThrow(/5 bytes/);
  });

  it('derives the same key from the same passphrase and salt, another from another', () => {
    const salt = randomBytes(16);
    expect(keyFromPassphrase('correct horse', salt).equals(keyFromPassphrase('correct horse', salt))).toBe(true);
    expect(keyFromPassphrase('correct horse', salt).equals(keyFromPassphrase('correct horsf', salt))).toBe(false);
    expect(() => keyFromPassphrase('short', salt)).toThrow(/at least 8/);
  });

  it('stores secrets sealed: not in the database file, readable only with the key', () => {
    const path = join(dir, 'c.db');
    const key = randomBytes(32);
    const db = openStore(path);
    const repo = new CredentialRepository(db, new SecretBox(key));
    repo.put('core-snmp', 'snmp-community', 'Core switches', 'S3cr3t-community-xyz');
    const row = db.prepare('SELECT secret FROM credentials').get() as { secret: Buffer };
    expect(row.secret.includes(Buffer.from('S3cr3t'))).toBe(false);
    expect(repo.list()).toEqual([expect.objectContaining({ id: 'core-snmp', kind: 'snmp-community', name: 'Core switches' })]);
    expect(JSON.stringify(repo.list())).not.toContain('S3cr3t');
    expect(repo.secret('core-snmp')).toBe('S3cr3t-community-xyz');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const wrong = openStore(path);
    expect(() => new CredentialRepository(wrong, new SecretBox(randomBytes(32))).secret('core-snmp')).toThrow(SecretDecryptError);
    wrong.close();
  });

  it('binds a sealed secret to its record: moved to another id it will not open', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('a', 'pw');
    expect(box.open('a', sealed)).toBe('pw');
    expect(() => box.open('b', sealed)).toThrow(SecretDecryptError);
    expect(JSON.stringify({ box })).toBe('{"box":"[SecretBox]"}');
  });
});
