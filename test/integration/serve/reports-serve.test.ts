// Reports in serve mode over the WebSocket, on a store holding the lab day: a viewer is refused
// reports.generate; an operator's generation streams its job (queued, reading, computing,
// writing, done) to every signed-in client on onDidChangeReportJobs; a viewer then finds the
// file in reports.history and downloads it (base64 in the result, as inventory.export returns
// its file) byte for byte as it is in the reports folder beside the store.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReportJob } from '../../../src-shared/api';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { openCoreStore } from '../../../src-main/core/store/core-store';
import { startServeServer, type ServeServer } from '../../../src-main/serve/serve-server';
import { connect, type TestClient } from '../../support/ws-client';
import { labInventory, labSamples } from '../../unit/core/reports/lab-day';

let dir: string;
let core: Core;
let server: ServeServer | null = null;
let operator: TestClient;
let viewer: TestClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-reports-serve-'));
  const staticDir = join(dir, 'www');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>FleetDeck</title>');
  const storePath = join(dir, 'fd.db');
  const secretKey = randomBytes(32);
  const store = openCoreStore({ storePath, secretKey });
  store.inventory.upsert(labInventory());
  store.metrics.append(labSamples().all);
  store.dispose();
  core = await createCore({ storePath, secretKey, lab: false, agents: { listen: false }, poller: { intervalMs: 60_000, timeoutMs: 200, retries: 0 }, reports: { timeZone: 'UTC', tickMs: 0 } });
  const tokens = Object.fromEntries(core.auth.rotateTokens().map((t) => [t.role, t.token]));
  server = await startServeServer({ core, staticDir, bind: '127.0.0.1', port: 0 });
  operator = await connect(server.url, tokens.operator!);
  viewer = await connect(server.url, tokens.viewer!);
});

afterAll(async () => {
  await operator?.close();
  await viewer?.close();
  await server?.close();
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const jobEvents = (c: TestClient, id: string): ReportJob[] =>
  c.events.filter((e) => e.event === 'onDidChangeReportJobs').map((e) => e.payload as ReportJob).filter((j) => j.id === id);

describe('reports in serve mode', () => {
  it('generates over the socket with streamed progress, and a viewer downloads the same bytes', async () => {
    await expect(viewer.call('reports.generate', { kind: 'rack-power', day: '2026-11-20', format: 'pdf', locale: 'zh-CN' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const job = await operator.call('reports.generate', { kind: 'rack-power', day: '2026-11-20', format: 'pdf', locale: 'zh-CN' });
    expect(job.state).toBe('queued');
    await vi.waitFor(() => expect(jobEvents(viewer, job.id).at(-1)?.state).toBe('done'), { timeout: 60_000, interval: 50 });
    expect(jobEvents(viewer, job.id).map((j) => j.state)).toEqual(['queued', 'reading', 'computing', 'writing', 'done']);
    expect(jobEvents(operator, job.id).at(-1)).toMatchObject({ state: 'done', file: 'rack-power-2026-11-20.zh-CN.pdf' });

    const history = await viewer.call('reports.history', undefined);
    expect(history).toEqual([expect.objectContaining({ id: 'rack-power-2026-11-20.zh-CN.pdf', kind: 'rack-power', day: '2026-11-20', format: 'pdf', locale: 'zh-CN' })]);
    const dl = await viewer.call('reports.download', { id: history[0].id });
    const onDisk = readFileSync(join(dir, 'reports', history[0].id));
    expect(dl).toMatchObject({ name: history[0].id, mime: 'application/pdf', size: onDisk.length });
    expect(Buffer.from(dl.base64, 'base64').equals(onDisk)).toBe(true);
    expect(onDisk.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
