// Fleet events are worded from code and params; the English template reads exactly as the
// core's message (built here the way src-main/core/fleet builds it), zh-CN words the values.
import { describe, expect, it } from 'vitest';
import type { FleetEvent } from '../../../../src-shared/domain';
import { eventText } from '../../../../src-renderer/i18n/event-text';

const ev = (code: FleetEvent['code'], params: FleetEvent['params'], message: string): FleetEvent => ({
  id: 1,
  at: 0,
  deviceId: 'dev-1',
  kind: 'control',
  severity: 'info',
  code,
  params,
  message,
});

describe('eventText in English: the core message, exactly', () => {
  const cases: [string, FleetEvent][] = [
    ['status', ev('status.changed', { hostname: 'srv-1', previous: 'up', status: 'unreachable' }, 'srv-1: up -> unreachable')],
    ['interface', ev('interface.changed', { hostname: 'sw-1', name: 'eth0', previous: 'up', status: 'down' }, 'sw-1 eth0: up -> down')],
    ['trap', ev('trap.received', { source: 'sw-1', kind: 'trap', name: 'linkDown', version: '2c' }, 'sw-1: trap linkDown (SNMPv2c)')],
    ['power', ev('control.power', { hostname: 'srv-1', action: 'off', power: 'off' }, 'srv-1: power off (now off)')],
    ['identify timed', ev('control.identify', { hostname: 'srv-1', seconds: 60, force: false }, 'srv-1: identify LED on for 60 s')],
    ['identify forced', ev('control.identify', { hostname: 'srv-1', seconds: 15, force: true }, 'srv-1: identify LED on until turned off')],
    ['boot once', ev('control.bootDevice', { hostname: 'srv-1', device: 'pxe', persistent: false }, 'srv-1: boot device pxe (next boot)')],
    ['boot persistent', ev('control.bootDevice', { hostname: 'srv-1', device: 'disk', persistent: true }, 'srv-1: boot device disk (persistent)')],
    [
      'host key',
      ev('control.hostKeyForgotten', { hostname: 'srv-1', fingerprint: 'SHA256:abc' }, 'srv-1: SSH host key SHA256:abc forgotten; the next key it presents will be pinned'),
    ],
    [
      'host key none',
      ev('control.hostKeyForgotten', { hostname: 'srv-1', fingerprint: '' }, 'srv-1: SSH host key (none pinned) forgotten; the next key it presents will be pinned'),
    ],
  ];
  for (const [name, e] of cases) {
    it(`words ${name} as the core does`, () => expect(eventText('en', { ...e, message: 'not this' })).toBe(e.message));
  }
});

describe('eventText in zh-CN', () => {
  it('words the values in Chinese', () => {
    expect(eventText('zh-CN', ev('status.changed', { hostname: 'srv-1', previous: 'up', status: 'unreachable' }, ''))).toBe('srv-1：应答中 → 不可达');
    expect(eventText('zh-CN', ev('interface.changed', { hostname: 'sw-1', name: 'eth0', previous: 'up', status: 'down' }, ''))).toBe('sw-1 eth0：正常 → 断开');
    expect(eventText('zh-CN', ev('control.power', { hostname: 'srv-1', action: 'off', power: 'off' }, ''))).toBe('srv-1：电源操作“关机（断电）”（当前关）');
    expect(eventText('zh-CN', ev('control.bootDevice', { hostname: 'srv-1', device: 'pxe', persistent: false }, ''))).toBe('srv-1：下次从网络（PXE）启动');
    expect(eventText('zh-CN', ev('control.identify', { hostname: 'srv-1', seconds: 60, force: false }, ''))).toBe('srv-1：定位灯点亮 60 秒');
    expect(eventText('zh-CN', ev('trap.received', { source: '10.0.0.9', kind: 'trap', name: 'linkDown', version: '2c' }, ''))).toBe(
      '10.0.0.9：收到Trap 告警“链路断开”（SNMPv2c）',
    );
  });

  it('keeps a value it has no word for as the core sent it', () => {
    expect(eventText('zh-CN', ev('status.changed', { hostname: 'srv-1', previous: 'up', status: 'melting' }, ''))).toBe('srv-1：应答中 → melting');
  });
});

describe('eventText fallback', () => {
  it('uses the message when the event has no code (stored before codes)', () => {
    const old: FleetEvent = { id: 2, at: 0, deviceId: null, kind: 'sel', severity: 'warning', message: 'srv-1: SEL Temperature upper critical' };
    expect(eventText('en', old)).toBe(old.message);
    expect(eventText('zh-CN', old)).toBe(old.message);
  });

  it('uses the message when params are missing or of the wrong type', () => {
    expect(eventText('zh-CN', ev('control.power', { hostname: 'srv-1' }, 'srv-1: power on (now on)'))).toBe('srv-1: power on (now on)');
    expect(eventText('en', ev('control.identify', { hostname: 'srv-1', seconds: '60', force: false }, 'as sent'))).toBe('as sent');
    expect(eventText('en', ev('status.changed', undefined, 'no params'))).toBe('no params');
  });

  it('uses the message for a code this renderer does not know (a newer core)', () => {
    const e = { ...ev('status.changed', { hostname: 'x' }, 'from a newer core'), code: 'gateway.failover' as FleetEvent['code'] };
    expect(eventText('zh-CN', e)).toBe('from a newer core');
  });
});
