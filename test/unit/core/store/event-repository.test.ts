// Fleet events keep their code and params through the store, so the renderer can word a
// stored event in either language; events without a code (older rows) read back without one.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../../src-main/core/store/database';
import { EventRepository } from '../../../../src-main/core/store/event-repository';

describe('EventRepository', () => {
  it('stores code and params beside the message and returns them newest first', () => {
    const repo = new EventRepository(openStore(':memory:'));
    repo.record([
      { at: 1, deviceId: 'd1', kind: 'status', severity: 'critical', code: 'status.changed', params: { hostname: 'h1', previous: 'up', status: 'unreachable' }, message: 'h1: up -> unreachable' },
      { at: 2, deviceId: 'd1', kind: 'control', severity: 'info', message: 'h1: power off (now off)' },
    ]);
    const [newest, oldest] = repo.recent(10, 'd1');
    expect(newest).toMatchObject({ at: 2, message: 'h1: power off (now off)' });
    expect(newest).not.toHaveProperty('code');
    expect(oldest).toMatchObject({ code: 'status.changed', params: { hostname: 'h1', previous: 'up', status: 'unreachable' }, message: 'h1: up -> unreachable' });
  });
});
