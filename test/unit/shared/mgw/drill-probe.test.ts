// The failover drill's probe format (src-shared/mgw/drill-probe.ts): a probe is recognised by
// its magic only, the agent's answer parses back to the probe and the backend, and anything
// else (the service's own payloads, another drill's answers, malformed lines) is not an answer.
import { describe, expect, it } from 'vitest';
import { answerDrillProbe, encodeDrillProbe, isDrillProbe, parseDrillAnswer } from '../../../../src-shared/mgw/drill-probe';

describe('drill probes', () => {
  it('round-trips a probe through the agent\'s answer', () => {
    const probe = encodeDrillProbe({ drill: '0a1b2c3d', session: 1999, seq: 42 });
    expect(isDrillProbe(probe)).toBe(true);
    const answer = Buffer.concat(answerDrillProbe(probe, 'be-7'));
    expect(parseDrillAnswer(answer)).toEqual({ drill: '0a1b2c3d', session: 1999, seq: 42, backend: 'be-7' });
  });

  it('leaves the service\'s payloads alone and refuses malformed answers', () => {
    expect(isDrillProbe(Buffer.from('GET / HTTP/1.1'))).toBe(false);
    expect(isDrillProbe(Buffer.from('FDDRILL2 0a1b2c3d 1 1'))).toBe(false);
    expect(isDrillProbe(Buffer.from('FDDRILL1'))).toBe(false);
    expect(isDrillProbe(Buffer.alloc(4000, 0x41))).toBe(false);
    for (const bad of ['FDDRILL1 0a1b2c3d 1 1', 'FDDRILL1 xyz 1 1 be1', 'FDDRILL1 0a1b2c3d -1 1 be1', 'FDDRILL1 0a1b2c3d 1 1 be 1', 'be1 FDDRILL1 0a1b2c3d 1 1']) {
      expect(parseDrillAnswer(Buffer.from(bad)), bad).toBeNull();
    }
  });
});
