// The credential form per kind: its fields are the schema's, a filled form makes a secret the
// schema accepts, and the core's VALIDATION fields land on the form fields they name.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CREDENTIAL_SECRETS, SNMP_V3_SECRET } from '../../../../../src-shared/api/credential-secrets';
import { CREDENTIAL_KINDS } from '../../../../../src-shared/domain';
import { emptySecret, fieldErrorsOf, formFieldOf, SECRET_FIELDS, secretOf, unusedFields } from '../../../../../src-renderer/stores/credentials/secret-form';

describe('secret form', () => {
  it('has exactly the fields of each kind’s schema', () => {
    for (const kind of CREDENTIAL_KINDS) {
      if (kind === 'snmp-community') continue;
      const schema = kind === 'snmp-v3' ? SNMP_V3_SECRET : (CREDENTIAL_SECRETS[kind] as unknown as z.ZodObject);
      expect(SECRET_FIELDS[kind].map((f) => f.key).sort(), kind).toEqual(Object.keys(schema.shape).sort());
    }
    expect(SECRET_FIELDS['snmp-community'].map((f) => f.key)).toEqual(['community']);
  });

  it('maps a filled form to a secret the schema accepts', () => {
    expect(secretOf('snmp-community', { community: 'fleetdeck-lab' })).toBe('fleetdeck-lab');
    const v3 = secretOf('snmp-v3', { ...emptySecret('snmp-v3'), name: ' noc ', authProtocol: 'sha', authKey: 'authkey123', privProtocol: 'aes', privKey: 'privkey123' });
    expect(v3).toEqual({ name: 'noc', level: 'authPriv', authProtocol: 'sha', authKey: 'authkey123', privProtocol: 'aes', privKey: 'privkey123' });
    expect(CREDENTIAL_SECRETS['snmp-v3'].safeParse(v3).success).toBe(true);
    const ipmi = secretOf('ipmi', { ...emptySecret('ipmi'), username: 'admin', password: 'pw', cipherSuite: '17' });
    expect(ipmi).toEqual({ username: 'admin', password: 'pw', cipherSuite: '17' });
    expect(CREDENTIAL_SECRETS.ipmi.safeParse(ipmi).success).toBe(true);
    const key = secretOf('ssh-key', { username: 'root', privateKey: '-----BEGIN-----', passphrase: '' });
    expect(key).toEqual({ username: 'root', privateKey: '-----BEGIN-----' });
    expect(CREDENTIAL_SECRETS['ssh-key'].safeParse(key).success).toBe(true);
  });

  it('leaves out the fields a v3 level does not use', () => {
    const values = { name: 'u', level: 'noAuthNoPriv', authProtocol: 'md5', authKey: 'k', privProtocol: 'des', privKey: 'p' };
    expect([...unusedFields('snmp-v3', values)].sort()).toEqual(['authKey', 'authProtocol', 'privKey', 'privProtocol']);
    expect(secretOf('snmp-v3', values)).toEqual({ name: 'u', level: 'noAuthNoPriv' });
    expect(secretOf('snmp-v3', { ...values, level: 'authNoPriv', authKey: 'longenough' })).toEqual({ name: 'u', level: 'authNoPriv', authProtocol: 'md5', authKey: 'longenough' });
  });

  it('maps contract field paths to form fields', () => {
    expect(formFieldOf('snmp-v3', 'secret.authKey')).toBe('secret.authKey');
    expect(formFieldOf('snmp-v3', 'secret.name')).toBe('secret.name');
    expect(formFieldOf('snmp-v3', 'name')).toBe('name');
    expect(formFieldOf('snmp-community', 'secret')).toBe('secret.community');
    expect(formFieldOf('ipmi', 'secret')).toBe('_form');
    expect(formFieldOf('ipmi', 'secret.bogus')).toBe('_form');
    expect(formFieldOf('ipmi', 'id')).toBe('id');
  });

  it('reads the core’s VALIDATION problems by field', () => {
    const error = {
      name: 'ValidationError',
      code: 'VALIDATION' as const,
      message: 'credentials.put: "secret.authKey" must be at least 8 characters (and 1 more)',
      params: {
        method: 'credentials.put',
        field: 'secret.authKey',
        problem: 'must be at least 8 characters',
        fields: [
          { field: 'secret.authKey', problem: 'must be at least 8 characters' },
          { field: 'secret.privKey', problem: 'is required for authPriv' },
        ],
      },
    };
    expect(fieldErrorsOf('snmp-v3', error)).toEqual({ 'secret.authKey': ['must be at least 8 characters'], 'secret.privKey': ['is required for authPriv'] });
    expect(fieldErrorsOf('snmp-v3', { ...error, params: { field: 'id', problem: 'must be a non-empty string' } })).toEqual({ id: ['must be a non-empty string'] });
    expect(fieldErrorsOf('snmp-v3', { ...error, code: 'INTERNAL' })).toBeNull();
    expect(fieldErrorsOf('snmp-v3', { ...error, params: {} })).toBeNull();
  });
});
