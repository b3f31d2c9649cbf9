// ICMP through fping (installed here at /usr/bin/fping; CI installs it too): the targets due in
// one turn go out in one fping run, each answered from 127.0.0.0/8; from the bind address;
// without fping every sample is 'unsupported' and the log says so once; fping's -C summary
// lines are parsed, '-' being no answer.
import { afterEach, describe, expect, it } from 'vitest';
import { createIcmpProber, findExecutable, parseFpingCounts, type IcmpProber } from '../../../../src-daemons/agent/probe/icmp';
import { ERR } from '../../../../src-daemons/agent/probe/types';
import { ctx, target } from './rig';

const fping = findExecutable('fping');
const probers: IcmpProber[] = [];
afterEach(() => probers.splice(0).forEach((p) => p.close()));
const make = (o: Parameters<typeof createIcmpProber>[0]) => {
  const p = createIcmpProber(o);
  probers.push(p);
  return p;
};

describe('ICMP probes through fping', () => {
  it.skipIf(fping === null && !process.env.CI)('batches the turn\'s targets in one fping run and gets an answer from each', async () => {
    const p = make({});
    expect(p.fping).toBe(fping);
    const addrs = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.1'];
    const outs = await Promise.all(addrs.map((addr) => p.probe(target({ kind: 'icmp', addr }), ctx({ timeoutMs: 1000 }))));
    expect(outs.map((o) => o.err)).toEqual([ERR.ok, ERR.ok, ERR.ok, ERR.ok]);
    expect(outs.every((o) => o.rttUs >= 0)).toBe(true);
    expect(p.runs).toBe(1);
    expect((await p.probe(target({ kind: 'icmp' }), ctx({ bind: '127.0.0.5' }))).err).toBe(ERR.ok);
    expect(p.runs).toBe(2);
  });

  it('without fping every ICMP sample is unsupported, said once in the log', async () => {
    const logs: string[] = [];
    const p = make({ fping: null, log: (l) => logs.push(l) });
    const outs = await Promise.all([1, 2, 3].map(() => p.probe(target({ kind: 'icmp' }), ctx())));
    expect(outs).toEqual([1, 2, 3].map(() => ({ rttUs: -1, err: ERR.unsupported })));
    expect(logs).toEqual(['probe: fping is not installed: ICMP probes are reported as unsupported']);
  });

  it('an fping that fails as a whole makes the run\'s samples errors, logged once', async () => {
    const logs: string[] = [];
    const p = make({ fping: '/nonexistent/fping', log: (l) => logs.push(l) });
    expect(await p.probe(target({ kind: 'icmp' }), ctx())).toEqual({ rttUs: -1, err: ERR.error });
    expect(await p.probe(target({ kind: 'icmp' }), ctx())).toEqual({ rttUs: -1, err: ERR.error });
    expect(logs).toEqual([expect.stringMatching(/^probe: fping failed: .*ENOENT/)]);
  });

  it('parses -C summary lines: ms to us, - as no answer, other lines skipped', () => {
    const m = parseFpingCounts('127.0.0.1 : 0.058\n10.9.9.9  : -\n::1 : 1.5\nfping: some warning\n\n');
    expect([...m]).toEqual([['127.0.0.1', 58], ['10.9.9.9', -1], ['::1', 1500]]);
  });
});
