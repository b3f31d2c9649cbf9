// The agents store against a fake client: watching loads the list and the identity and
// follows onDidChangeAgent (a changed agent replaces its own row only; a new one is added in
// id order; one that changed while the list was asked for is not lost to the older answer);
// the list is read again after a reconnect and forgotten when no view watches it. Upgrade
// sends the form's values (empty ones left to the template) and keeps the launched run and
// the skipped agents; a form problem is named and nothing sent; a refusal naming unreachable
// agents lists them with reasons in both languages. Revoke: a viewer's is refused FORBIDDEN,
// worded, the dialog open and the row unchanged; an operator's marks the row revoked.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSummary } from '../../../../../src-shared/domain/agent';
import { ForbiddenError, FleetDeckError, RemoteError, serializeError } from '../../../../../src-shared/errors';
import { errorText } from '../../../../../src-renderer/i18n/error-text';
import { translate } from '../../../../../src-renderer/i18n/i18n';
import {
  closeRollout, loadAgents, openRevoke, openRollout, receiveAgent, revokeAgent, selectAgents, setHealthFilter, startRollout, toggleAgent, watchAgents,
} from '../../../../../src-renderer/stores/agents/actions';
import { filterAgents, healthCounts, refusedSkips, rolloutArgs, skipReason } from '../../../../../src-renderer/stores/agents/agent-model';
import { initialAgents } from '../../../../../src-renderer/stores/agents/slice';
import { setClient } from '../../../../../src-renderer/stores/client';
import { useAppStore } from '../../../../../src-renderer/stores/store';
import { fakeClient } from '../fake-client';
import { agent, IDENTITY } from './fixtures';

const ag = () => useAppStore.getState().agents;
const initialSession = useAppStore.getState().session;
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

afterEach(() => {
  setClient(null);
  useAppStore.setState({ agents: initialAgents, session: initialSession });
});

describe('the agents list, live', () => {
  it('loads the list and the identity, counts per health and filters by it', async () => {
    const list = [agent('b'), agent('a', { health: 'over-cap', status: { ...agent('a').status!, state: 'over-memory-cap' } }), agent('c', { health: 'never-reported', connected: false })];
    fakeClient({ 'agents.list': () => list, 'agents.identity': () => IDENTITY });
    const w = watchAgents();
    await flush();
    expect(ag().list?.map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(ag().identity?.fingerprint256).toBe('AB:CD:EF');
    expect(healthCounts(ag().list!)).toEqual({ healthy: 1, 'over-cap': 1, stale: 0, 'never-reported': 1, revoked: 0 });
    setHealthFilter('never-reported');
    expect(filterAgents(ag().list!, ag().filter).map((a) => a.id)).toEqual(['c']);
    w.dispose();
  });

  it('replaces only the changed agent on an event, adds a new one in id order, and stops listening when disposed', async () => {
    const { listeners } = fakeClient({ 'agents.list': () => [agent('a'), agent('c')], 'agents.identity': () => IDENTITY });
    const w = watchAgents();
    await flush();
    const [a0, c0] = ag().list!;
    listeners.get('onDidChangeAgent')!(agent('c', { health: 'stale', connected: false, lastSeenAt: 5_000 }));
    const [a1, c1] = ag().list!;
    expect(a1).toBe(a0); // the other row keeps its object: it does not re-render
    expect(c1).not.toBe(c0);
    expect(c1).toMatchObject({ health: 'stale', connected: false, lastSeenAt: 5_000 });
    listeners.get('onDidChangeAgent')!(agent('b', { health: 'never-reported' }));
    expect(ag().list?.map((a) => `${a.id}:${a.health}`)).toEqual(['a:healthy', 'b:never-reported', 'c:stale']);
    w.dispose();
    await flush();
    expect(listeners.has('onDidChangeAgent')).toBe(false);
    expect(ag().list).toBeNull(); // nothing keeps it current now
  });

  it('keeps a change that arrived while the list was being read over the older answer', async () => {
    let answer: (l: AgentSummary[]) => void = () => {};
    fakeClient({ 'agents.list': () => new Promise<AgentSummary[]>((r) => (answer = r)), 'agents.identity': () => IDENTITY });
    const loading = loadAgents();
    receiveAgent(agent('a', { state: 'revoked', health: 'revoked', revokedBy: 'op@1' }));
    answer([agent('a'), agent('b')]);
    await loading;
    expect(ag().list?.map((a) => `${a.id}:${a.health}`)).toEqual(['a:revoked', 'b:healthy']);
  });

  it('reads the list again after a reconnect; moving between agents views keeps the subscription', async () => {
    let reads = 0;
    const { listeners } = fakeClient({ 'agents.list': () => (reads++, [agent('a')]), 'agents.identity': () => IDENTITY });
    useAppStore.setState({ session: { ...initialSession, phase: 'ready' } });
    const list = watchAgents();
    await flush();
    // #/agents -> #/agents/a: the old view's dispose, then the new view's watch, in one commit.
    list.dispose();
    const detail = watchAgents();
    await flush();
    expect(listeners.has('onDidChangeAgent')).toBe(true);
    expect(ag().list).not.toBeNull();
    const before = reads;
    useAppStore.setState({ session: { ...useAppStore.getState().session, phase: 'reconnecting' } });
    useAppStore.setState({ session: { ...useAppStore.getState().session, phase: 'ready' } });
    await flush();
    expect(reads).toBe(before + 1);
    detail.dispose();
  });
});

describe('upgrade and roll back', () => {
  it('sends the typed version and batch settings and shows the launched run and the skipped agents', async () => {
    const { calls } = fakeClient({
      'agents.list': () => [agent('a'), agent('b'), agent('c', { deviceId: null })],
      'agents.identity': () => IDENTITY,
      'agents.upgrade': () => ({ runId: 'run-7', templateId: 'agent-deploy-b5-f10', hosts: 2, skipped: [{ agentId: 'c', reason: 'enrolled by hand: no device to deploy to' }] }),
    });
    await loadAgents();
    toggleAgent('a', true);
    selectAgents(['b', 'c'], true);
    openRollout('upgrade');
    expect(ag().rollout).toMatchObject({ kind: 'upgrade', agentIds: ['a', 'b', 'c'] });
    expect(await startRollout({ version: ' 1.2.3 ', batchSize: '5', maxFailPct: '10' })).toBe(true);
    expect(calls('agents.upgrade')).toEqual([{ agentIds: ['a', 'b', 'c'], version: '1.2.3', batchSize: 5, maxFailPct: 10 }]);
    const r = ag().rollout!;
    expect(r.result).toMatchObject({ runId: 'run-7', hosts: 2 });
    expect(r.result!.skipped.map((s) => skipReason(s.reason))).toEqual([{ kind: 'by-hand' }]);
    expect(translate('zh-CN', 'agents.skip.by-hand')).toBe('为手动登记：没有可部署的设备');
    expect(ag().selected).toEqual([]);
    closeRollout();
    expect(ag().rollout).toBeNull();
  });

  it('leaves empty fields to the template (built-in version) and sends no version on a rollback', async () => {
    const { calls } = fakeClient({ 'agents.rollback': () => ({ runId: 'run-8', templateId: 'agent-rollback', hosts: 1, skipped: [] }) });
    selectAgents(['a'], true);
    openRollout('rollback');
    await startRollout({ version: '9.9.9', batchSize: '', maxFailPct: '' });
    expect(calls('agents.rollback')).toEqual([{ agentIds: ['a'] }]);
  });

  it('names a form problem per field and sends nothing', async () => {
    const { calls } = fakeClient({ 'agents.upgrade': () => ({}) });
    expect(rolloutArgs('upgrade', { version: '1.2 beta', batchSize: '0', maxFailPct: '120' }, ['a'])).toEqual({ ok: false, problems: { version: 'version', batchSize: 'batch', maxFailPct: 'fail' } });
    selectAgents(['a'], true);
    openRollout('upgrade');
    expect(await startRollout({ version: '', batchSize: '2.5', maxFailPct: '' })).toBe(false);
    expect(calls('agents.upgrade')).toEqual([]);
  });

  it('keeps a refusal naming the unreachable agents, each reason worded in both languages', async () => {
    const skipped = [{ agentId: 'x', reason: 'revoked by op@1' }, { agentId: 'y', reason: 'its device has no SSH credential' }];
    fakeClient({
      'agents.upgrade': () => {
        throw new RemoteError(serializeError(new FleetDeckError('VALIDATION', 'agents.upgrade: none of the chosen agents can be reached (...)', { field: 'agentIds', skipped })));
      },
    });
    selectAgents(['x', 'y'], true);
    openRollout('upgrade');
    expect(await startRollout({ version: '', batchSize: '', maxFailPct: '' })).toBe(false);
    const r = ag().rollout!;
    expect(r.error?.code).toBe('VALIDATION');
    const reasons = refusedSkips(r.error?.params)!.map((s) => skipReason(s.reason));
    expect(reasons).toEqual([{ kind: 'revoked', by: 'op@1' }, { kind: 'no-ssh' }]);
    expect(translate('en', 'agents.skip.revoked', { by: 'op@1' })).toBe('revoked by op@1');
    expect(translate('zh-CN', 'agents.skip.no-ssh')).toBe('其设备没有 SSH 凭据');
    expect(ag().selected).toEqual(['x', 'y']); // nothing launched: the selection stays
  });
});

describe('revoke', () => {
  it("refuses a viewer's revoke as FORBIDDEN, worded, the dialog open and the row unchanged", async () => {
    fakeClient({
      'agents.list': () => [agent('a')],
      'agents.revoke': () => {
        throw new RemoteError(serializeError(new ForbiddenError('agents.revoke', 'operator', 'viewer')));
      },
    });
    await loadAgents();
    openRevoke('a');
    expect(await revokeAgent('decommissioned')).toBe(false);
    const r = ag().revoke!;
    expect(r).toMatchObject({ agentId: 'a', busy: false });
    expect(r.error?.code).toBe('FORBIDDEN');
    expect(errorText('en', r.error!)).toBe('"agents.revoke" needs the operator role; this session is viewer');
    expect(errorText('zh-CN', r.error!)).toBe('“agents.revoke”需要操作员角色；当前会话的角色是只读观察员');
    expect(ag().list?.[0].health).toBe('healthy');
  });

  it("marks an operator's revoked agent in its row and closes the dialog", async () => {
    const { calls } = fakeClient({
      'agents.list': () => [agent('a'), agent('b')],
      'agents.revoke': (args) => agent(String(args.agentId), { state: 'revoked', health: 'revoked', connected: false, revokedAt: 2_000, revokedBy: 'operator@127.0.0.1' }),
    });
    await loadAgents();
    toggleAgent('a', true);
    openRevoke('a');
    expect(await revokeAgent('  ')).toBe(true);
    expect(calls('agents.revoke')).toEqual([{ agentId: 'a' }]); // a blank reason is not sent
    expect(ag().revoke).toBeNull();
    expect(ag().list?.map((a) => `${a.id}:${a.health}`)).toEqual(['a:revoked', 'b:healthy']);
    expect(ag().selected).toEqual([]);
  });
});
