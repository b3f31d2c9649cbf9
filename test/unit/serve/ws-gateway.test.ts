import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvents, EventName } from '../../../src-shared/api';
import type { Role } from '../../../src-shared/domain';
import type { Core } from '../../../src-main/core/create-core';
import { createWsGateway } from '../../../src-main/serve/ws-gateway';
import { createCoreApi, type Handlers } from '../../../src-main/core/api/core-api';
import { EventHub } from '../../../src-main/core/events/event-hub';
import { AuditRepository } from '../../../src-main/core/store/audit-repository';
import { openStore } from '../../../src-main/core/store/database';
import { connect } from '../../support/ws-client';

/**
 * A core with the real api (so the role filter under test is the core's own) over an event
 * hub the test emits on; calls are not its concern.
 */
function fakeCore(): { core: Core; emit<E extends EventName>(e: E, p: ApiEvents[E]): void } {
  const hub = new EventHub();
  const tokens: Record<string, Role> = { 'viewer-token-0000000000': 'viewer', 'operator-token-00000000': 'operator' };
  const core = {
    api: createCoreApi({} as Handlers, hub, new AuditRepository(openStore(':memory:'))),
    auth: { authenticate: (t: string) => (tokens[t] ? { actor: tokens[t], role: tokens[t] } : null), hasTokens: () => true, rotateTokens: () => [] },
    dispose: async () => {},
  } as unknown as Core;
  return { core, emit: (e, p) => hub.emit(e, p) };
}

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

describe('serve-mode event streams', () => {
  it('sends command output to operators, never to a viewer, while both get fleet events', async () => {
    const { core, emit } = fakeCore();
    const gateway = createWsGateway(core);
    server = createServer();
    server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const viewer = await connect(url, 'viewer-token-0000000000');
    const operator = await connect(url, 'operator-token-00000000');

    emit('onDidReceiveRunResult', { runId: 'r1', deviceId: 'd1', hostname: 'h1', ok: true, exitCode: 0, signal: null, stdout: 'secret output', stderr: '', truncated: false, error: null, failure: null, ms: 3 });
    emit('onDidReceiveFleetEvent', [{ id: 1, at: 1, deviceId: 'd1', kind: 'status', severity: 'critical', message: 'h1: up -> unreachable' }]);
    await new Promise((r) => setTimeout(r, 100));

    expect(operator.events.map((e) => e.event)).toEqual(['onDidReceiveRunResult', 'onDidReceiveFleetEvent']);
    expect(viewer.events.map((e) => e.event)).toEqual(['onDidReceiveFleetEvent']);
    expect(JSON.stringify(viewer.events)).not.toContain('secret output');
    await Promise.all([viewer.close(), operator.close()]);
    await gateway.close();
  });
});
