// The device form: a Device round-trips through its values, numbers are checked before the
// core is asked, credentials are offered by slot kind, and the core's issues land on fields.
import { describe, expect, it } from 'vitest';
import type { CredentialInfo, Device } from '../../../../../src-shared/domain';
import {
  credentialsFor,
  deviceFieldOf,
  deviceFormOf,
  deviceRecordOf,
  deviceRefusalOf,
  newDeviceForm,
} from '../../../../../src-renderer/stores/device-edit/device-form';

const device: Device = {
  id: 'srv-9', cabinetId: 'cab-1', kind: 'server', hostname: 'srv-9', sn: 'SN-9', uPosition: 10, uHeight: 2, mgmtIp: '127.0.0.1', snmpPort: 16161,
  bmcAddress: '127.0.0.2', bmcPort: 16623, sshPort: 22, snmpCredential: 'snmp-ro', sshCredential: null, ipmiCredential: 'bmc', serviceTree: null,
};

describe('device form', () => {
  it('round-trips a device', () => {
    const built = deviceRecordOf(deviceFormOf(device), 'cab-1', null);
    expect(built.record).toEqual(device);
  });

  it('takes the hostname as id for a new device and leaves empty references null', () => {
    const v = { ...newDeviceForm(5), hostname: ' web-1 ', sn: 'S1', mgmtIp: '10.0.0.1' };
    const built = deviceRecordOf(v, 'cab-2');
    expect(built.record).toMatchObject({ id: 'web-1', hostname: 'web-1', cabinetId: 'cab-2', uPosition: 5, uHeight: 1, snmpPort: 161, bmcAddress: null, snmpCredential: null });
  });

  it('names the numbers that are not numbers or ports', () => {
    const built = deviceRecordOf({ ...deviceFormOf(device), uPosition: 'x', snmpPort: '70000', sshPort: '2.5' }, 'cab-1');
    expect(built.problems).toEqual({ uPosition: 'whole-number', snmpPort: 'port', sshPort: 'port' });
  });

  it('offers the credentials of the slot’s kinds', () => {
    const list = [
      { id: 'b', kind: 'snmp-v3', name: 'v3' },
      { id: 'a', kind: 'snmp-community', name: 'ro' },
      { id: 'c', kind: 'ipmi', name: 'bmc' },
    ] as CredentialInfo[];
    expect(credentialsFor('snmpCredential', list).map((c) => c.id)).toEqual(['a', 'b']);
    expect(credentialsFor('ipmiCredential', list).map((c) => c.id)).toEqual(['c']);
    expect(credentialsFor('sshCredential', list)).toEqual([]);
  });

  it('maps issue fields and contract paths to form fields', () => {
    expect(deviceFieldOf('mgmtIp')).toBe('mgmtIp');
    expect(deviceFieldOf('device.snmpPort')).toBe('snmpPort');
    expect(deviceFieldOf('mgmt_ip')).toBe('mgmtIp');
    expect(deviceFieldOf('snmp_credential')).toBe('snmpCredential');
    expect(deviceFieldOf('devices[0].sn')).toBe('sn');
    expect(deviceFieldOf('serviceTree')).toBeNull();
  });

  it('sorts the core’s refusal by field', () => {
    const issue = (field: string, code: string) => ({ line: 0, column: 0, field, code, params: {}, message: `${field} bad` });
    const refusal = deviceRefusalOf({
      name: 'ValidationError', code: 'VALIDATION', message: 'refused',
      params: { issues: [issue('hostname', 'hostname-taken'), issue('snmpCredential', 'unknown-credential'), issue('serviceTree', 'bad-service-tree')] },
    });
    expect(Object.keys(refusal?.byField ?? {}).sort()).toEqual(['hostname', 'snmpCredential']);
    expect(refusal?.other.map((i) => i.field)).toEqual(['serviceTree']);
    const contract = deviceRefusalOf({ name: 'ValidationError', code: 'VALIDATION', message: 'x', params: { field: 'device.bmcPort', problem: 'must be an integer from 1 to 65535', fields: [{ field: 'device.bmcPort', problem: 'must be an integer from 1 to 65535' }] } });
    expect(contract?.problems).toEqual({ bmcPort: ['must be an integer from 1 to 65535'] });
    expect(deviceRefusalOf({ name: 'X', code: 'INTERNAL', message: 'x' })).toBeNull();
  });
});
