// The layering rule (fleetdeck/layering in eslint.config.js): planted forbidden imports are
// reported with the rule's id and message, and allowed imports are not.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: root });
const RULE = 'fleetdeck/layering';

interface Finding {
  readonly messageId: string | undefined;
  readonly message: string;
}

/** Lints `code` as if it lived at `file` (relative to the root); returns the layering findings. */
async function layering(file: string, code: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, 'the planted code parses').toEqual([]);
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => ({ messageId: m.messageId, message: m.message }));
}

async function expectDenied(file: string, specifier: string, target: string, code = `import { x } from '${specifier}';\nexport const y = x;\n`) {
  const findings = await layering(file, code);
  expect(findings).toHaveLength(1);
  expect(findings[0].messageId).toBe('notAllowed');
  expect(findings[0].message).toContain(`may not import '${target}' ('${specifier}')`);
  return findings[0];
}

async function expectAllowed(file: string, code: string) {
  expect(await layering(file, code)).toEqual([]);
}

describe('core: protocols, security < store < capabilities < api < create-core, never upward', () => {
  it('reports a capability importing the api (the fleet -> api back edge)', async () => {
    const finding = await expectDenied('src-main/core/fleet/poller.ts', '../api/event-hub', 'src-main/core/api/event-hub');
    expect(finding.message).toContain('(core capability)');
    expect(finding.message).toContain('never upward');
  });

  it('counts type-only imports', async () => {
    await expectDenied('src-main/core/fleet/poller.ts', '../api/core-api', 'src-main/core/api/core-api', "import type { CoreApi } from '../api/core-api';\nexport type A = CoreApi;\n");
  });

  it('reports the store importing a capability', async () => {
    const finding = await expectDenied('src-main/core/store/database.ts', '../fleet/fleet-service', 'src-main/core/fleet/fleet-service');
    expect(finding.message).toContain('(core store)');
  });

  it('reports protocols importing the store (a folder import)', async () => {
    const finding = await expectDenied('src-main/core/protocols/snmp/session/session.ts', '../../../store', 'src-main/core/store');
    expect(finding.message).toContain('(core base (protocols, security))');
    await expectDenied('src-main/core/protocols/ipmi/session.ts', '../../store', 'src-main/core/store');
  });

  it('reports protocols importing a capability and security importing the store', async () => {
    await expectDenied('src-main/core/protocols/snmp/trap-receiver.ts', '../../fleet/traps', 'src-main/core/fleet/traps');
    await expectDenied('src-main/core/security/tokens.ts', '../store/token-repository', 'src-main/core/store/token-repository');
  });

  it('reports the api importing create-core', async () => {
    await expectDenied('src-main/core/api/core-api.ts', '../create-core', 'src-main/core/create-core');
  });

  it('keeps core/config.ts on src-shared alone', async () => {
    await expectDenied('src-main/core/config.ts', 'node:path', 'node:path');
    await expectDenied('src-main/core/config.ts', './protocols/ipmi/codec/rmcp', 'src-main/core/protocols/ipmi/codec/rmcp');
    await expectAllowed('src-main/core/config.ts', "import type { LabSize } from '../../src-shared/lab-protocol';\nexport type S = LabSize;\n");
  });

  it('keeps electron, the lab, serve, the preload and the renderer out of core', async () => {
    await expectDenied('src-main/core/fleet/poller.ts', 'electron', 'electron');
    await expectDenied('src-main/core/create-core.ts', 'electron', 'electron');
    await expectDenied('src-main/core/create-core.ts', '../lab/lab-fleet', 'src-main/lab/lab-fleet');
    await expectDenied('src-main/core/api/core-api.ts', '../../serve/ws-gateway', 'src-main/serve/ws-gateway');
    await expectDenied('src-main/core/api/core-api.ts', '../../../src-renderer/stores/store', 'src-renderer/stores/store');
  });

  it('allows downward edges and capabilities importing each other', async () => {
    await expectAllowed('src-main/core/store/database.ts', [
      "import Database from 'better-sqlite3';",
      "import { join } from 'node:path';",
      "import { openBox } from '../security/secret-box';",
      "import type { Config } from '../config';",
      "import { type DeviceId } from '../../../src-shared/domain';",
      'export const all = [Database, join, openBox] as const; export type C = Config | DeviceId;',
    ].join('\n'));
    await expectAllowed('src-main/core/run/fleet-run.ts', [
      "import { resolveCredential } from '../credentials/resolve';",
      "import { openDatabase } from '../store/database';",
      "import { SshPool } from '../protocols/ssh/pool';",
      "import { EventHub } from '../events/event-hub';",
      'export const all = [resolveCredential, openDatabase, SshPool, EventHub];',
    ].join('\n'));
    await expectAllowed('src-main/core/probes/probe-runner.ts', "import { poll } from '../fleet/poller';\nexport const p = poll;\n");
    await expectAllowed('src-main/core/api/core-api.ts', "import { startFleet } from '../fleet';\nimport { database } from '../store/database';\nexport const a = [startFleet, database];\n");
    await expectAllowed('src-main/core/create-core.ts', "import { createCoreApi } from './api/core-api';\nimport { startFleet } from './fleet';\nexport const a = [createCoreApi, startFleet];\n");
    await expectAllowed('src-main/core/protocols/ipmi/session.ts', "import { rmcp } from './codec/rmcp';\nimport { quote } from '../ssh/quote';\nimport { seal } from '../../security/secret-box';\nimport dgram from 'node:dgram';\nexport const a = [rmcp, quote, seal, dgram];\n");
  });
});

describe('lab and daemons: protocol codecs only', () => {
  it('reports the lab importing an IPMI session, allows the IPMI codec', async () => {
    const finding = await expectDenied('src-main/lab/bmc/bmc-simulator.ts', '../../core/protocols/ipmi/session', 'src-main/core/protocols/ipmi/session');
    expect(finding.message).toContain('(lab)');
    expect(finding.message).toContain('protocol codecs');
    await expectAllowed('src-main/lab/bmc/bmc-simulator.ts', "import { decodeRmcp } from '../../core/protocols/ipmi/codec/rmcp';\nexport const d = decodeRmcp;\n");
  });

  it('reports the lab importing the store, the api, a capability or a protocol index', async () => {
    await expectDenied('src-main/lab/lab-fleet.ts', '../core/store/database', 'src-main/core/store/database');
    await expectDenied('src-main/lab/lab-fleet.ts', '../core/api/core-api', 'src-main/core/api/core-api');
    await expectDenied('src-main/lab/lab-fleet.ts', '../core/fleet/poller', 'src-main/core/fleet/poller');
    await expectDenied('src-main/lab/bmc/index.ts', '../../core/protocols/ipmi', 'src-main/core/protocols/ipmi');
  });

  it('gives the lab net-snmp and ssh2 but no other package', async () => {
    await expectAllowed('src-main/lab/snmp/agent.ts', "import snmp from 'net-snmp';\nimport { Server } from 'ssh2';\nimport { createSocket } from 'node:dgram';\nimport { hashString } from '../../../src-shared/random';\nexport const a = [snmp, Server, createSocket, hashString];\n");
    await expectDenied('src-main/lab/lab-process.ts', 'better-sqlite3', 'better-sqlite3');
    await expectDenied('src-main/lab/lab-process.ts', 'electron', 'electron');
  });

  it('gives the daemons src-shared, node and codecs only', async () => {
    await expectAllowed('src-daemons/agent/main.ts', "import { createServer } from 'node:http';\nimport { rmcp } from '../../src-main/core/protocols/ipmi/codec/rmcp';\nimport { hashString } from '../../src-shared/random';\nimport { probe } from './probes';\nexport const a = [createServer, rmcp, hashString, probe];\n");
    await expectDenied('src-daemons/agent/main.ts', '../../src-main/core/protocols/ssh/pool', 'src-main/core/protocols/ssh/pool');
    await expectDenied('src-daemons/mgw/sync.ts', 'ws', 'ws');
  });
});

describe('src-shared: itself and zod', () => {
  it('reports node builtins, with or without node:', async () => {
    const finding = await expectDenied('src-shared/api/fleet.ts', 'node:fs', 'node:fs');
    expect(finding.message).toContain('(shared)');
    await expectDenied('src-shared/api/fleet.ts', 'fs', 'fs');
    await expectDenied('src-shared/api/fleet.ts', 'node:fs/promises', 'node:fs/promises');
  });

  it('reports electron, react and src-main', async () => {
    await expectDenied('src-shared/lifecycle.ts', 'electron', 'electron');
    await expectDenied('src-shared/lifecycle.ts', 'react', 'react');
    await expectDenied('src-shared/lifecycle.ts', '../src-main/core/config', 'src-main/core/config');
  });

  it('allows zod and itself', async () => {
    await expectAllowed('src-shared/api/fleet.ts', "import { z } from 'zod';\nimport type { DeviceId } from '../domain';\nexport const s = z.string(); export type D = DeviceId;\n");
  });
});

describe('serve, electron, preload', () => {
  it('reports serve importing the lab or electron', async () => {
    const finding = await expectDenied('src-main/serve/serve-cli.ts', '../lab/lab-fleet', 'src-main/lab/lab-fleet');
    expect(finding.message).toContain('(serve)');
    await expectDenied('src-main/serve/serve-cli.ts', '../electron/main', 'src-main/electron/main');
    await expectDenied('src-main/serve/serve-cli.ts', 'electron', 'electron');
  });

  it('reports serve reaching past the api into a capability or the store', async () => {
    await expectDenied('src-main/serve/ws-gateway.ts', '../core/fleet/poller', 'src-main/core/fleet/poller');
    await expectDenied('src-main/serve/ws-gateway.ts', '../core/store/database', 'src-main/core/store/database');
  });

  it('allows serve create-core, config, api and security', async () => {
    await expectAllowed('src-main/serve/serve-cli.ts', [
      "import { createCore } from '../core/create-core';",
      "import type { CoreConfig } from '../core/config';",
      "import { type CoreApi } from '../core/api/core-api';",
      "import { verifyToken } from '../core/security/tokens';",
      "import { WebSocketServer } from 'ws';",
      "import { createServer } from 'node:http';",
      'export const a = [createCore, verifyToken, WebSocketServer, createServer]; export type T = CoreConfig | CoreApi;',
    ].join('\n'));
  });

  it('gives electron the core, serve and electron, but not the lab or the renderer', async () => {
    await expectAllowed('src-main/electron/main.ts', "import { app } from 'electron';\nimport { createCore } from '../core/create-core';\nimport { startServe } from '../serve/serve-server';\nexport const a = [app, createCore, startServe];\n");
    await expectDenied('src-main/electron/main.ts', '../lab/lab-fleet', 'src-main/lab/lab-fleet');
    await expectDenied('src-main/electron/main.ts', '../../src-renderer/app', 'src-renderer/app');
  });

  it('lets the preload take the channel map from src-shared/api, and the rest of src-shared as types only', async () => {
    await expectAllowed('src-preload/index.ts', "import { contextBridge } from 'electron';\nimport type { CallReply } from '../src-shared/api';\nimport { IPC_CALL, type Method } from '../src-shared/api';\nimport type { Role } from '../src-shared/domain';\nexport const c = [contextBridge, IPC_CALL]; export type R = CallReply | Method | Role;\n");
    const findings = await layering('src-preload/index.ts', "import { ROLE_RANK } from '../src-shared/domain';\nexport const c = ROLE_RANK;\n");
    expect(findings).toHaveLength(1);
    expect(findings[0].messageId).toBe('typeOnly');
    expect(findings[0].message).toContain("may import 'src-shared/domain' only as `import type`");
    await expectDenied('src-preload/index.ts', 'node:path', 'node:path');
    await expectDenied('src-preload/index.ts', '../src-main/core/config', 'src-main/core/config');
  });
});

describe('renderer: views call actions, never the client', () => {
  it('reports a view importing stores/client or a transport', async () => {
    const finding = await expectDenied('src-renderer/views/device/device-host-key.tsx', '../../stores/client', 'src-renderer/stores/client');
    expect(finding.message).toContain('(renderer view)');
    expect(finding.message).toContain('never the client');
    await expectDenied('src-renderer/views/device/device-host-key.tsx', '../../transport/ws-client', 'src-renderer/transport/ws-client');
    await expectDenied('src-renderer/components/error-banner.tsx', '../transport', 'src-renderer/transport');
  });

  it('allows a view the actions, selectors, shared components and browser libraries', async () => {
    await expectAllowed('src-renderer/views/device/device-host-key.tsx', [
      "import { useState } from 'react';",
      "import { useStore } from 'zustand';",
      "import { forgetHostKey } from '../../stores/device/actions';",
      "import { selectDevice } from '../../stores/device/selectors';",
      "import { ErrorBanner } from '../../components/error-banner';",
      "import type { DeviceId } from '../../../src-shared/domain';",
      "import './device.css';",
      'export const a = [useState, useStore, forgetHostKey, selectDevice, ErrorBanner]; export type D = DeviceId;',
    ].join('\n'));
  });

  it('lets the stores (not the views) hold the client', async () => {
    await expectAllowed('src-renderer/stores/device/actions.ts', "import { client } from '../client';\nimport { pickClient } from '../../transport/pick-client';\nexport const a = [client, pickClient];\n");
  });

  it('reports node builtins, electron and src-main anywhere in the renderer', async () => {
    await expectDenied('src-renderer/stores/save-file.ts', 'node:fs', 'node:fs');
    await expectDenied('src-renderer/transport/ipc-client.ts', 'electron', 'electron');
    await expectDenied('src-renderer/stores/store.ts', '../../src-main/core/config', 'src-main/core/config');
    await expectDenied('src-renderer/stores/store.ts', 'better-sqlite3', 'better-sqlite3');
  });
});

describe('every form of import is judged', () => {
  const file = 'src-main/core/fleet/poller.ts';
  it('export from, export * from, dynamic import(), typeof import() and require()', async () => {
    await expectDenied(file, '../api/a', 'src-main/core/api/a', "export { a } from '../api/a';\n");
    await expectDenied(file, '../api/b', 'src-main/core/api/b', "export * from '../api/b';\n");
    await expectDenied(file, '../api/c', 'src-main/core/api/c', "export async function f() { return import('../api/c'); }\n");
    await expectDenied(file, '../api/d', 'src-main/core/api/d', "export type D = typeof import('../api/d');\n");
    await expectDenied('src-main/lab/old.mjs', '../core/store/database', 'src-main/core/store/database', "export const d = require('../core/store/database');\n");
  });

  it('reports a source file that falls in no layer', async () => {
    const findings = await layering('src-main/stray/thing.ts', 'export const a = 1;\n');
    expect(findings).toEqual([{ messageId: 'noLayer', message: expect.stringContaining('src-main/stray/thing.ts is in no layer') }]);
  });

  it('leaves test/** unrestricted', async () => {
    await expectAllowed('test/unit/core/fleet/poller.test.ts', "import { app } from 'electron';\nimport { a } from '../../../../src-main/core/api/core-api';\nexport const x = [app, a];\n");
  });
});
