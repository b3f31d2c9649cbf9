// planGetBulk, the lab's GetBulk in snmpd's shape, over a toy MIB of five names: one
// endOfMibView per column at the end, columns that end early keep saying so while
// others still have values, and max-repetitions cut to 100 varbinds.
import { describe, expect, it } from 'vitest';
import { MAX_GETBULK_RESPONSES, planGetBulk } from '../../../src-main/lab/snmp/get-bulk';

const MIB = ['1.1', '1.2', '1.3', '1.4', '1.5'];
const next = (oid: string): string | null => MIB.find((o) => o > oid) ?? null; // string order suffices for 1.1 .. 1.5
const shape = (plan: ReturnType<typeof planGetBulk>): string[] => plan.map((v) => `${v.oid}>${v.next ?? 'end'}`);

describe('planGetBulk', () => {
  it('answers a GetBulk past the end with one endOfMibView per column', () => {
    expect(shape(planGetBulk(['1.5'], 0, 10, next))).toEqual(['1.5>end']);
    expect(shape(planGetBulk(['1.5', '1.5'], 0, 10, next))).toEqual(['1.5>end', '1.5>end']);
    expect(shape(planGetBulk(['1.5', '1.5', '1.5'], 1, 10, next))).toEqual(['1.5>end', '1.5>end', '1.5>end']);
  });

  it('repeats a finished column while another still has values, then stops after the first all-end row', () => {
    expect(shape(planGetBulk(['1.3', '1.5'], 0, 10, next))).toEqual([
      '1.3>1.4', '1.5>end',
      '1.4>1.5', '1.5>end',
      '1.5>end', '1.5>end',
    ]);
  });

  it('sends non-repeaters once, then at most max-repetitions rows', () => {
    expect(shape(planGetBulk(['1.1', '0'], 1, 2, next))).toEqual(['1.1>1.2', '0>1.1', '1.1>1.2']);
    expect(shape(planGetBulk(['1.1', '0'], 1, 0, next))).toEqual(['1.1>1.2']);
    expect(shape(planGetBulk(['1.1'], 5, 10, next))).toEqual(['1.1>1.2']);
  });

  it('cuts the rows so the repeaters give at most 100 varbinds, as snmpd does', () => {
    const endless = (oid: string): string => `${oid}.1`;
    expect(planGetBulk(['1'], 0, 1000, endless)).toHaveLength(MAX_GETBULK_RESPONSES);
    expect(planGetBulk(['1', '2', '3'], 0, 1000, endless)).toHaveLength(99);
    expect(planGetBulk(['0', '1', '2'], 1, 1000, endless)).toHaveLength(101);
  });
});
