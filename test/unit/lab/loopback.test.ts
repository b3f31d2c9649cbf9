// The lab's loopback modes: the single-address port plan, the generated inventory in single
// mode, and auto's fallback decision with an injected bind probe (macOS's missing aliases).
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB_SIZE } from '../../../src-shared/lab-protocol';
import { generateLab } from '../../../src-main/lab/generator';
import { checkSinglePortBase, describeSinglePlan, probeBind, resolveLoopback, singlePorts, SINGLE_PORT_SPAN, type BindProbe } from '../../../src-main/lab/loopback';

describe('the single-address port plan', () => {
  it('gives device n SNMP 20000+n, BMC 24000+n and SSH 28000+n, all below the ephemeral ranges', () => {
    expect(singlePorts(0)).toEqual({ snmp: 20000, bmc: 24000, ssh: 28000 });
    expect(singlePorts(2999)).toEqual({ snmp: 22999, bmc: 26999, ssh: 30999 });
    expect(singlePorts(SINGLE_PORT_SPAN - 1).ssh).toBeLessThan(32768);
    expect(() => singlePorts(SINGLE_PORT_SPAN)).toThrow(/at most 4000 devices/);
    expect(singlePorts(5, 5000)).toEqual({ snmp: 5005, bmc: 9005, ssh: 13005 });
    expect(describeSinglePlan(3000)).toBe('SNMP UDP 20000-22999, RMCP+ UDP 24000-26999, SSH TCP 28000-30999');
  });

  it('refuses a base whose plan would not fit under 65536 or starts among the privileged ports', () => {
    expect(() => checkSinglePortBase(1000)).toThrow(RangeError);
    expect(() => checkSinglePortBase(60000)).toThrow(RangeError);
    expect(() => checkSinglePortBase(53536)).not.toThrow();
  });
});

describe('the generated inventory in single mode', () => {
  const lab = generateLab(1, DEFAULT_LAB_SIZE, { loopback: 'single' });
  const aliases = generateLab(1, DEFAULT_LAB_SIZE);

  it('puts 3,000 devices on 127.0.0.1 with 9,000 distinct ports from the plan', () => {
    expect(lab.devices).toHaveLength(3000);
    expect(new Set(lab.devices.map((d) => d.mgmtIp))).toEqual(new Set(['127.0.0.1']));
    const ports = lab.devices.flatMap((d) => [d.snmpPort, d.bmcPort, d.sshPort]);
    expect(new Set(ports).size).toBe(9000);
    lab.devices.forEach((d, n) => expect([d.snmpPort, d.bmcPort, d.sshPort]).toEqual(Object.values(singlePorts(n))));
  });

  it('is the same fleet as alias mode but for where it listens', () => {
    const strip = (d: (typeof lab.devices)[number]) => ({ ...d, mgmtIp: '', snmpPort: 0, bmcPort: 0, sshPort: 0 });
    expect(lab.devices.map(strip)).toEqual(aliases.devices.map(strip));
    expect(new Set(aliases.devices.map((d) => d.mgmtIp)).size).toBe(3000);
  });

  it('refuses more devices than the plan holds', () => {
    expect(() => generateLab(1, { ...DEFAULT_LAB_SIZE, devices: 4001, cabinetsPerRow: 20 }, { loopback: 'single' })).toThrow(/at most 4000/);
  });
});

describe('auto', () => {
  const probeWith = (answers: Record<string, 'ok' | 'unavailable'>) => {
    const asked: string[] = [];
    const probe: BindProbe = async (address) => {
      asked.push(address);
      return answers[address] ?? 'ok';
    };
    return { probe, asked };
  };

  it('falls back to single when an alias cannot be bound (EADDRNOTAVAIL), and says so once', async () => {
    const { probe, asked } = probeWith({ '127.16.1.1': 'unavailable' });
    const log: string[] = [];
    expect(await resolveLoopback('auto', ['127.16.1.1', '127.116.1.1'], (l) => log.push(l), probe)).toBe('single');
    expect(asked).toEqual(['127.16.1.1']);
    expect(log).toEqual(['loopback alias 127.16.1.1 is not available (EADDRNOTAVAIL): every lab device listens on 127.0.0.1 with its own ports']);
  });

  it('falls back when only the BMC network is missing', async () => {
    const { probe } = probeWith({ '127.116.1.1': 'unavailable' });
    expect(await resolveLoopback('auto', ['127.16.1.1', '127.116.1.1'], () => {}, probe)).toBe('single');
  });

  it('keeps aliases where they bind, logging nothing', async () => {
    const { probe, asked } = probeWith({});
    const log: string[] = [];
    expect(await resolveLoopback('auto', ['127.16.1.1', '127.116.1.1'], (l) => log.push(l), probe)).toBe('aliases');
    expect(asked).toEqual(['127.16.1.1', '127.116.1.1']);
    expect(log).toEqual([]);
  });

  it('does not probe for an explicit mode, and never probes outside 127.0.0.0/8', async () => {
    const { probe, asked } = probeWith({ '127.16.1.1': 'unavailable' });
    expect(await resolveLoopback('aliases', ['127.16.1.1'], () => {}, probe)).toBe('aliases');
    expect(await resolveLoopback('single', ['127.16.1.1'], () => {}, probe)).toBe('single');
    expect(asked).toEqual([]);
    await expect(resolveLoopback('auto', ['10.0.1.1'], () => {}, probe)).rejects.toThrow(/127\.0\.0\.0\/8/);
    await expect(resolveLoopback('sideways' as 'auto', [], () => {}, probe)).rejects.toThrow(/aliases, single or auto/);
  });

  it('probes for real under Node: 127.0.0.1 binds', async () => {
    expect(await probeBind('127.0.0.1')).toBe('ok');
  });
});
