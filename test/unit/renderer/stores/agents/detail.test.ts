// The open agent against a fake client: its newest result of each kind (processes: the
// newest per name), read again when a change says newer results are stored and not for one
// that does not; a second change while a read is in flight asks once more, not twice; an
// unknown agent's refusal stays on the page. Routes: #/agents and #/agents/<id>.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentResult } from '../../../../../src-shared/agent-protocol/messages';
import { ValidationError, RemoteError, serializeError } from '../../../../../src-shared/errors';
import { loadAgents, receiveAgent } from '../../../../../src-renderer/stores/agents/actions';
import { closeAgent, openAgent } from '../../../../../src-renderer/stores/agents/detail-actions';
import { initialAgents } from '../../../../../src-renderer/stores/agents/slice';
import { setClient } from '../../../../../src-renderer/stores/client';
import { formatRoute, parseRoute } from '../../../../../src-renderer/stores/fleet/route';
import { useAppStore } from '../../../../../src-renderer/stores/store';
import { fakeClient } from '../fake-client';
import { agent, inventory, metrics, proc, status } from './fixtures';

const detail = () => useAppStore.getState().agents.detail;
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

afterEach(() => {
  setClient(null);
  useAppStore.setState({ agents: initialAgents });
});

function resultsClient(byKind: () => Record<string, AgentResult[]>) {
  return fakeClient({
    'agents.list': () => [agent('a', { lastSeq: 9 })],
    'agents.results': (args) => byKind()[String(args.kind)] ?? [],
  });
}

describe('the open agent', () => {
  it('shows the newest result of each kind, processes newest per name', async () => {
    const { calls } = resultsClient(() => ({
      metrics: [metrics(9, 93.5)],
      process: [proc(8, 'sshd', 120), proc(7, 'nginx', null), proc(4, 'sshd', 99)],
      inventory: [inventory(2)],
      status: [status(9)],
    }));
    await loadAgents();
    openAgent('a');
    await flush();
    const latest = detail()!.latest!;
    expect(latest.metrics?.data).toMatchObject({ kind: 'metrics', cpuIdlePct: 93.5 });
    expect(latest.processes.map((r) => (r.data.kind === 'process' ? `${r.data.name}:${r.data.pid}` : ''))).toEqual(['nginx:null', 'sshd:120']);
    expect(latest.inventory?.data).toMatchObject({ kind: 'inventory', kernel: '6.1.0' });
    expect(latest.status?.seq).toBe(9);
    expect(calls('agents.results').map((a) => `${a.kind}:${a.limit}`)).toEqual(['metrics:1', 'process:128', 'inventory:1', 'status:1']);
    closeAgent('a');
    expect(detail()).toBeNull();
  });

  it('reads again only when newer results are stored, once for changes that land during a read', async () => {
    let seq = 9;
    const { calls } = resultsClient(() => ({ metrics: [metrics(seq, 90)], status: [status(seq)] }));
    await loadAgents();
    openAgent('a');
    await flush();
    const reads = () => calls('agents.results').length / 4;
    expect(reads()).toBe(1);
    receiveAgent(agent('a', { lastSeq: 9, connected: false })); // nothing new stored
    await flush();
    expect(reads()).toBe(1);
    seq = 11;
    receiveAgent(agent('a', { lastSeq: 10 }));
    receiveAgent(agent('a', { lastSeq: 11 })); // lands while the read for 10 is in flight
    await flush();
    await flush();
    expect(reads()).toBe(3);
    expect(detail()!.latest!.metrics?.seq).toBe(11);
    receiveAgent(agent('b', { lastSeq: 50 })); // another agent: not this page's
    await flush();
    expect(reads()).toBe(3);
  });

  it("keeps the core's refusal for an agent it does not know", async () => {
    fakeClient({
      'agents.results': () => {
        throw new RemoteError(serializeError(new ValidationError('No agent "zz" is enrolled', { field: 'agentId' })));
      },
    });
    openAgent('zz');
    await flush();
    expect(detail()).toMatchObject({ agentId: 'zz', latest: null, error: { code: 'VALIDATION' } });
  });
});

describe('agents routes', () => {
  it('parses and formats the list and an agent page', () => {
    expect(parseRoute('#/agents')).toEqual({ view: 'agents' });
    expect(parseRoute('#/agents/srv%3A01')).toEqual({ view: 'agent', agentId: 'srv:01' });
    expect(formatRoute({ view: 'agent', agentId: 'srv:01' })).toBe('#/agents/srv%3A01');
    expect(formatRoute({ view: 'agents' })).toBe('#/agents');
  });
});
