// The one composition root: opens the store, then starts each capability into one
// disposable store (disposed in reverse order, once, on success or failure) and hands their
// slices of the contract to the api. It wires; it holds no logic.
import type { WfTask } from '../../src-shared/domain/workflow';
import { DisposableStore } from '../../src-shared/lifecycle';
import { createCoreApi, type CoreApi } from './api/core-api';
import { startAgents } from './agents/agents-capability';
import { startAlarms } from './alarms/alarms-capability';
import { alarmTools } from './alarms/alarm-tools';
import { agentHealth, interfacesDown, probeReadings, probeSuspect, type AgentHealthRow, type SuspectLocalisation } from './alarms/condition-sources';
import { createWebhookNotifier, webhookNotification } from './alarms/webhook-notifier';
import { startAudit } from './audit/audit-module';
import type { CoreConfig } from './config';
import { startCredentials } from './credentials/credentials-module';
import { startDeviceControl } from './device-control/device-control-module';
import { startEvents } from './events/events-module';
import { startFleet } from './fleet/fleet-module';
import { startTrapIntake } from './fleet/trap-intake';
import { startInventory } from './inventory/inventory-module';
import { startLabModule } from './lab-link/lab-module';
import { labProbeTargets } from '../../src-shared/probe/lab-targets';
import { startProbes } from './probes/probes-capability';
import { startReports } from './reports/reports-capability';
import { defaultReportsFolder } from './reports/reports-folder';
import { startRun } from './run/run-module';
import { startSearch } from './search/search-module';
import { startSession, type CoreAuth } from './session/session-module';
import { openCoreStore } from './store/core-store';
import { startWall } from './wall/wall-capability';
import { httpPxe, labPxe, PROVISIONING_TEMPLATES, provisioningTools, storeCmdb } from './provisioning';
import { SHIPPED_TEMPLATES } from './workflows/shipped-templates';
import type { Tool } from './workflows/tool';
import { startWorkflowsCapability } from './workflows/workflows-capability';
import { startGateways } from './gateways/gateways-capability';
import { gatewayDeploy } from './gateways/deploy';

export type { CoreApi } from './api/core-api';
export type { CoreConfig } from './config';
export type { CoreAuth } from './session/session-module';

export interface Core {
  api: CoreApi;
  auth: CoreAuth;
  /**
   * A workflow step's one-time callback URL was called (serve mode's POST /wf/callback/<token>;
   * the token is the credential): completes the step, or what its tool's onCallback makes of the
   * body (a reported failure fails it, a progress report keeps it waiting). NOT_FOUND an unknown token, CONFLICT a
   * spent one, VALIDATION a body that does not fit the step's output (naming the field).
   */
  workflowCallback(token: string, body: unknown): WfTask;
  /** Closes everything it opened: poller, lab process, timers, the store. */
  dispose(): Promise<void>;
}

export async function createCore(config: CoreConfig): Promise<Core> {
  const log = config.log ?? (() => {});
  const owned = new DisposableStore();
  try {
    const store = owned.add(openCoreStore(config));
    const events = owned.add(startEvents({ store, log }));
    const credentials = owned.add(startCredentials({ store, log }));
    const audit = owned.add(startAudit({ store }));
    // Wall mode: playlists, kiosk tokens (serve mode's sign-in takes them as viewers) and the 2 s heartbeat.
    // Its newest poll is the poller's, once the fleet has started (below).
    let pollsCompleted = (): number => 0;
    const wall = owned.add(startWall({ store, hub: events.hub, polls: () => pollsCompleted(), baseUrl: config.workflows?.callbackBaseUrl }));
    const session = owned.add(startSession({ store, kiosk: wall.kiosk }));
    const lab = owned.add(await startLabModule({ config: config.lab, store, log }));
    const fleet = owned.add(startFleet({ store, credentials: credentials.resolver, hub: events.hub, record: events.record, fleetKind: lab.fleetKind, poller: config.poller, log, identifying: (): ReadonlySet<string> => control.identifying() }));
    owned.add(lab.onDidAffect(fleet.repoll));
    pollsCompleted = () => fleet.poller.stats().pollsCompleted;
    const traps = owned.add(await startTrapIntake({ config: config.traps, inventory: store.inventory, credentials: credentials.resolver, recordEvents: events.record, repoll: fleet.repoll, announce: lab.setTrapTarget, log }));
    // A credential or inventory change reaches the poller and the BMC sensor poller (changed targets read at once), the trap receiver and search.
    const control = owned.add(startDeviceControl({ store, credentials: credentials.resolver, record: events.record, bmcSensors: config.bmcSensors, onControlled: fleet.repoll, log }));
    owned.add(credentials.onChanged(() => { fleet.reload(); traps.reload(); control.refresh(); }));
    const search = owned.add(startSearch({ store }));
    // Alarms: the rules evaluated over the poller's device status and the stored metrics; a rule's
    // webhook gets its notifiable alarms' firing and resolving (the notifier logs what it gives up on).
    // Interfaces from the poller, probe figures from the probe store, agent health once the agents have started (below).
    const notifier = createWebhookNotifier({ log });
    owned.add({ dispose: () => notifier.dispose() });
    let agentSummaries = (): AgentHealthRow[] => [];
    const healthOf = agentHealth(() => agentSummaries(), Date.now);
    // The probe matrix's top suspect is a root (its localisation once the probes have started, below).
    let localisation = (): SuspectLocalisation | null => null;
    const suspect = probeSuspect(() => localisation(), Date.now, config.alarms?.staleMs ?? 300_000);
    const alarms = owned.add(startAlarms({
      store, status: (id) => fleet.poller.state(id)?.health, hub: events.hub, log, intervalMs: config.alarms?.intervalMs, staleMs: config.alarms?.staleMs, historyMs: config.alarms?.historyMs,
      readings: {
        'if.down_count': interfacesDown((id) => fleet.poller.state(id)),
        'probe.p99_ms': probeReadings(store.probes, 'p99'),
        'probe.drop_rate': probeReadings(store.probes, 'drops'),
      },
      state: (state, id) => (state === 'agent.health' ? healthOf(id) : state === 'probe.suspect' ? suspect.state(id) : undefined),
      suspectEdges: suspect.behind,
      onNotify: (alarm, e, rule) => {
        if (rule.webhook !== undefined) notifier.notify(rule.webhook, webhookNotification(alarm, e.kind === 'resolved' ? 'resolved' : 'firing', e.at, rule.name));
      },
    }));
    // The probe matrix's pinglists follow inventory too (probes starts after the agents, below).
    let probesReload = (): void => {};
    const inventory = owned.add(startInventory({ store, onImported: () => { fleet.reload(); search.reload(); traps.reload(); control.refresh(); probesReload(); alarms.reload(); } }));
    const run = owned.add(startRun({ store, credentials: credentials.resolver, hub: events.hub, record: events.record, log }));
    // Fleet agents dial in over TLS 1.3; their results are stored as they are acknowledged. Started
    // before the workflows: the agent's deploy tools (upload, enrol, activate over the run pool) are theirs.
    const agents = owned.add(await startAgents({ store, hub: events.hub, config: config.agents, log }));
    agentSummaries = () => store.agents.list().flatMap((r) => agents.summary(r.id) ?? []);
    // Reports: generation jobs over the store, files in the reports folder, the daily schedule: a run
    // of reports-daily on the engine, caught up at start once the engine is connected (below).
    const reports = owned.add(await startReports({ store, hub: events.hub, folder: config.reports?.folder ?? defaultReportsFolder(config.storePath), timeZone: config.reports?.timeZone, tickMs: config.reports?.tickMs, log, deferStart: true }));
    // MGW gateway clusters deployed over the same SSH pool, with the agent's runtime and bundle folder (gateways/deploy).
    const gwDeploy = gatewayDeploy({ device: (id) => store.inventory.device(id), ssh: run.ssh, credentials: credentials.resolver, bundleDir: config.agents?.bundleDir, runtimePath: config.agents?.runtimePath });
    // The tools the capabilities give workflow steps (the engine adds its built-ins: http.callback, wf.approval, wf.callback).
    // Provisioning (seed 000's flows): IPMI through the BMC service, SSH through the run pool,
    // the CMDB status in the inventory; installs staged on the lab's PXE stand-in, or a configured
    // fleet's PXE hook (workflows.pxeHook; with neither, os.install refuses, naming why).
    // Fleet runs (fleet.run) are runs of the shipped fleet-run template: its tool ssh.run over the same pool.
    const workflowTools: Tool[] = [...run.tools, ...provisioningTools({
      device: (id) => store.inventory.device(id),
      bmc: control.bmc,
      ssh: run.ssh,
      hostKeys: store.hostKeys,
      credentials: credentials.resolver,
      cmdb: storeCmdb({ db: store.db, inventory: store.inventory, onRenamed: () => { fleet.reload(); search.reload(); } }),
      // A tool acts for the run's launcher, with the role it launched with (runs from before migration 11: operator).
      audit: (e) => store.audit.record({ ...e, role: e.role ?? 'operator' }),
      pxe: lab.fleetKind === 'lab' ? labPxe(lab) : config.workflows?.pxeHook ? httpPxe(config.workflows.pxeHook, (id) => store.inventory.device(id)) : null,
    }), ...agents.deployTools({
      device: (id) => store.inventory.device(id), ssh: run.ssh, credentials: credentials.resolver,
      audit: (e) => store.audit.record({ ...e, role: e.role ?? 'operator' }),
    }), ...alarmTools({ alarms, audit: (r) => store.audit.record(r) }), ...reports.tools, ...gwDeploy.tools];
    const wf = config.workflows ?? {};
    const workflows = owned.add(startWorkflowsCapability({
      store, hub: events.hub, tools: workflowTools, templates: [...SHIPPED_TEMPLATES, ...run.templates, ...PROVISIONING_TEMPLATES, ...agents.templates, ...reports.templates, ...gwDeploy.templates, ...(wf.templates ?? [])],
      callbackBaseUrl: wf.callbackBaseUrl ?? null, maxConcurrent: wf.maxConcurrent, retentionMs: wf.retentionMs, log,
    }));
    owned.add(run.useWorkflows(workflows));
    owned.add(agents.useWorkflows(workflows));
    owned.add(reports.useWorkflows(workflows));
    owned.add(gwDeploy.useWorkflows(workflows));
    // The probe matrix: pinglists from inventory to each agent's config, its results into minute aggregates.
    // On the lab, its anycast resolver and public network responders are in every pinglist unless configured otherwise.
    const labTargets = lab.addressPrefix ? labProbeTargets(lab.addressPrefix) : null;
    const probeConfig = labTargets ? { resolvers: labTargets.resolvers, publicTargets: labTargets.publicTargets, ...config.probes } : config.probes;
    const probes = owned.add(startProbes({ store, agents, hub: events.hub, record: events.record, config: probeConfig, log }));
    probesReload = probes.reload;
    localisation = () => probes.lastLocalisation;

    // MGW gateway clusters: each node's /metrics and state, scraped every 2 s; the configured ones and the lab's own.
    const gateways = owned.add(startGateways({ hub: events.hub, store, clusters: [...(config.gateways?.clusters ?? []), ...lab.gatewayClusters], intervalMs: config.gateways?.intervalMs }));

    const api = createCoreApi(
      { ...session.api, ...fleet.api, ...inventory.api, ...credentials.api, ...audit.api, ...lab.api, ...control.api, ...run.api, ...events.api, ...search.api, ...workflows.api, ...agents.api, ...probes.api, ...alarms.api, ...wall.api, ...reports.api, ...gateways.api },
      events.hub,
      store.audit,
    );
    return { api, auth: session.auth, workflowCallback: workflows.callback, dispose: () => owned.dispose() };
  } catch (err) {
    await owned.dispose().catch(() => {});
    throw err;
  }
}
