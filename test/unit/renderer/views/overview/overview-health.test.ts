// A site whose devices have no SNMP credential is not monitored (grey), never a red 0 %;
// unreachable is counted; a core that sends no unreachable / notMonitored still works.
import { describe, expect, it } from 'vitest';
import { monitoringOf } from '../../../../../src-renderer/views/overview/overview-health';

describe('monitoringOf', () => {
  it('a site of never-polled devices is unmonitored and grey, not bad', () => {
    const m = monitoringOf({ devices: 40_000, answering: 0, polled: 0, unreachable: 0, notMonitored: 40_000 });
    expect(m).toMatchObject({ unmonitored: true, tone: 'empty', monitored: 0, notMonitored: 40_000, unreachable: 0 });
  });

  it('colours against what is polled, with not-monitored devices counted apart', () => {
    const m = monitoringOf({ devices: 83_000, answering: 82_950, polled: 83_000 - 1_000, unreachable: 50, notMonitored: 1_000 });
    expect(m).toMatchObject({ unmonitored: false, monitored: 82_000, unreachable: 50, tone: 'good' });
  });

  it('a real outage stays red', () => {
    expect(monitoringOf({ devices: 100, answering: 10, polled: 100, unreachable: 90, notMonitored: 0 }).tone).toBe('bad');
  });

  it('degraded devices make it amber at least', () => {
    expect(monitoringOf({ devices: 100, answering: 100, polled: 100, degraded: 3, unreachable: 0, notMonitored: 0 }).tone).toBe('warn');
  });

  it('derives unreachable from polled - answering when an older core sends none', () => {
    const m = monitoringOf({ devices: 3000, answering: 2990, polled: 3000 });
    expect(m).toMatchObject({ unreachable: 10, notMonitored: 0, monitored: 3000, unmonitored: false });
  });

  it('an empty site is empty, not unmonitored', () => {
    expect(monitoringOf({ devices: 0, answering: 0, polled: 0, notMonitored: 0 })).toMatchObject({ unmonitored: false, tone: 'empty' });
  });
});
