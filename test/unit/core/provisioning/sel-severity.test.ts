// How bad a SEL entry is (bmc.status, burnin.run): threshold offsets by severity, the
// sensor-specific failures that matter, deassertions and power events as information; the
// summary's counts, newest-first critical list and "after" filter. And host.ping's reading
// of fping's summary line (as fping 5.1 prints it) and its loopback rule.
import { describe, expect, it } from 'vitest';
import type { SelEntry } from '../../../../src-shared/domain';
import { isLoopback, parseFping } from '../../../../src-main/core/provisioning/host-ping';
import { selSeverity, summarizeSel } from '../../../../src-main/core/provisioning/sel-severity';

const entry = (id: number, sensorType: number, eventType: number, offset: number, event: string, direction: SelEntry['direction'] = 'assertion'): SelEntry => ({
  id, at: 1_700_000_000_000 + id, sensor: `sensor #${id}`, sensorName: null, sensorType, sensorNumber: id, eventType, offset, event, direction,
});

describe('SEL severity', () => {
  it('ranks threshold crossings: non-critical a warning, critical and non-recoverable critical', () => {
    const words = ['Lower Non-critical going low', 'Lower Non-critical going high', 'Lower Critical going low', 'Lower Critical going high',
      'Lower Non-recoverable going low', 'Lower Non-recoverable going high', 'Upper Non-critical going low', 'Upper Non-critical going high',
      'Upper Critical going low', 'Upper Critical going high', 'Upper Non-recoverable going low', 'Upper Non-recoverable going high'];
    expect(words.map((w, o) => `${w}: ${selSeverity(entry(1, 0x01, 0x01, o, w))}`)).toEqual(words.map((w, o) => `${w}: ${(o >= 2 && o <= 5) || o >= 8 ? 'critical' : 'warning'}`));
    expect(selSeverity(entry(1, 0x01, 0x01, 9, 'Upper Critical going high', 'deassertion'))).toBe('info');
  });

  it('ranks sensor-specific events by what they mean', () => {
    expect(selSeverity(entry(1, 0x0c, 0x6f, 1, 'Uncorrectable ECC'))).toBe('critical');
    expect(selSeverity(entry(1, 0x0c, 0x6f, 0, 'Correctable ECC'))).toBe('warning');
    expect(selSeverity(entry(1, 0x07, 0x6f, 1, 'Thermal Trip'))).toBe('critical');
    expect(selSeverity(entry(1, 0x08, 0x6f, 1, 'Failure detected'))).toBe('critical');
    expect(selSeverity(entry(1, 0x08, 0x6f, 0, 'Presence detected'))).toBe('info');
    expect(selSeverity(entry(1, 0x09, 0x6f, 0, 'Power off/down'))).toBe('info');
    expect(selSeverity(entry(1, 0x10, 0x6f, 2, 'Log area reset/cleared'))).toBe('info');
    expect(selSeverity(entry(1, 0x0b, 0x0b, 1, 'Redundancy Lost'))).toBe('warning');
    expect(selSeverity({ sensorType: null, eventType: null, offset: null, direction: 'assertion' })).toBe('info');
  });

  it('summarizes: errors, critical newest first, only entries after a record', () => {
    const sel = [entry(3, 0x01, 0x01, 9, 'Upper Critical going high'), entry(2, 0x09, 0x6f, 0, 'Power off/down'), entry(1, 0x01, 0x01, 7, 'Upper Non-critical going high'), entry(4, 0x0c, 0x6f, 1, 'Uncorrectable ECC')];
    const s = summarizeSel(sel);
    expect(s).toMatchObject({ errors: 3, critical: 2 });
    expect(s.criticalEntries.map((e) => [e.id, e.event])).toEqual([[4, 'Uncorrectable ECC'], [3, 'Upper Critical going high']]);
    expect(summarizeSel(sel, 20, (e) => e.id > 3)).toMatchObject({ errors: 1, critical: 1 });
    expect(summarizeSel(sel, 1).criticalEntries).toHaveLength(1);
  });
});

describe('host.ping helpers', () => {
  it("reads fping -c -q's summary, answered or not", () => {
    expect(parseFping('127.0.0.1 : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.037/0.049/0.074\n')).toEqual({ sent: 3, received: 3, rttMs: 0.049 });
    expect(parseFping('127.0.0.9 : xmt/rcv/%loss = 3/0/100%\n')).toEqual({ sent: 3, received: 0, rttMs: null });
    expect(parseFping('fping: can\'t create socket (must run as root?)')).toBeNull();
  });

  it('treats 127.0.0.0/8 and ::1 as loopback (ICMP proves nothing there)', () => {
    expect(['127.0.0.1', '127.83.0.5', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });
});
