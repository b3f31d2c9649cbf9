// The provisioning flows FleetDeck ships (seed 000's Sysflow: server online, server offline,
// arrival stress test, inspection), with the seed's launch parameters: callback method and
// URL, hostname after install, SN, OS template, purpose. server-online keeps the seed's order
// (check system -> BMC status -> check CMDB -> change CMDB -> install OS -> host ping -> HTTP
// callback) and adds what a true run needs between them: the reinstalled host's new SSH key
// accepted as its own audited step, and the CMDB moved on to online under the hostname the
// host reports. Hosts are the run's devices; several hosts get their hostnames from the
// `hostnames` param (SN or device id -> hostname), one host from `hostname`.
import type { WfParamSpec, WfRetry, WfTemplate } from '../../../src-shared/domain/workflow';

const HOST = '${host.id}';

const CALLBACK_PARAMS: readonly WfParamSpec[] = [
  { name: 'callbackMethod', type: 'string', required: false, default: 'POST', title: 'Callback method' },
  { name: 'callbackUrl', type: 'string', required: true, title: 'Callback URL' },
];
const PURPOSE: WfParamSpec = { name: 'purpose', type: 'string', required: false, default: '', title: 'Purpose' };
const SN: WfParamSpec = { name: 'sn', type: 'string', required: false, default: '', title: 'Requested machine SN (one host; empty: not checked)' };

/** A BMC that does not answer is tried twice more, 2 s then 4 s later. */
const BMC_RETRY: WfRetry = { max: 2, backoffMs: 2000, factor: 2, maxBackoffMs: 10_000 };
const ONE_RETRY: WfRetry = { max: 1, backoffMs: 5000, factor: 1, maxBackoffMs: 5000 };

const callbackStep = (after: string, body: Record<string, unknown>) => ({
  id: 'callback', title: 'HTTP callback', tool: 'http.callback', scope: 'host' as const, after: [after],
  inputs: { method: '${params.callbackMethod}', url: '${params.callbackUrl}', body },
});

export const SERVER_ONLINE: WfTemplate = {
  id: 'server-online',
  name: 'Server online',
  description: 'Install an OS on racked servers over PXE and bring them online in the CMDB (seed 000: 服务器上线)',
  params: [
    ...CALLBACK_PARAMS,
    { name: 'hostname', type: 'string', required: false, title: 'Hostname after install (one host)' },
    { name: 'hostnames', type: 'object', required: false, title: 'Hostnames after install, by SN or device id (several hosts)' },
    SN,
    { name: 'os', type: 'string', required: true, title: 'OS template' },
    PURPOSE,
    { name: 'installMs', type: 'number', required: false, default: 60_000, title: "Install time (the lab's simulated installs)" },
  ],
  steps: [
    { id: 'check_system', title: 'Check system', tool: 'system.check', scope: 'host', inputs: { deviceId: HOST, expect: 'any' }, retry: ONE_RETRY },
    { id: 'bmc_check', title: 'BMC status check', tool: 'bmc.status', scope: 'host', inputs: { deviceId: HOST }, retry: BMC_RETRY },
    { id: 'cmdb_check', title: 'Check CMDB status', tool: 'cmdb.check', scope: 'host', inputs: { deviceId: HOST, expect: ['racked', 'offline'], expectSn: '${params.sn}' } },
    {
      id: 'cmdb_provisioning', title: 'Change CMDB status', tool: 'cmdb.set', scope: 'host',
      inputs: { deviceId: HOST, to: 'provisioning', expectedFrom: '${steps.cmdb_check.outputs.lifecycle}' },
    },
    {
      id: 'os_install', title: 'Install OS', tool: 'os.install', scope: 'host',
      inputs: { deviceId: HOST, os: '${params.os}', hostname: '${params.hostname}', hostnames: '${params.hostnames}', durationMs: '${params.installMs}' },
      poll: { intervalMs: 5000, deadlineMs: 2 * 3_600_000 }, onTimeout: 'fail', retry: ONE_RETRY,
      fanOut: { concurrency: 50, batchSize: 100, maxFailPct: 30 },
    },
    {
      id: 'host_key', title: 'Accept the new SSH host key', tool: 'ssh.acceptNewHostKey', scope: 'host',
      inputs: { deviceId: HOST, expectHostname: '${steps.os_install.outputs.hostname}', expectOs: '${params.os}' }, retry: ONE_RETRY,
    },
    { id: 'host_ping', title: 'Host ping check', tool: 'host.ping', scope: 'host', inputs: { deviceId: HOST, expect: 'up' }, poll: { intervalMs: 2000, deadlineMs: 600_000 } },
    {
      id: 'cmdb_online', title: 'CMDB status online', tool: 'cmdb.set', scope: 'host',
      inputs: { deviceId: HOST, to: 'online', expectedFrom: 'provisioning', hostname: '${steps.host_key.outputs.hostname}' },
    },
    callbackStep('cmdb_online', {
      sn: '${host.sn}', hostname: '${steps.cmdb_online.outputs.hostname}', os: '${params.os}', purpose: '${params.purpose}', status: 'online',
    }),
  ],
};

export const SERVER_OFFLINE: WfTemplate = {
  id: 'server-offline',
  name: 'Server offline',
  description: 'Take servers out of service: CMDB offline, power off through the BMC, check they are gone (seed 000: 服务器下线)',
  params: [...CALLBACK_PARAMS, SN, PURPOSE, { name: 'powerAction', type: 'string', required: false, default: 'soft', title: 'Power off: soft (ACPI shutdown) or off' }],
  steps: [
    { id: 'cmdb_check', title: 'Check CMDB status', tool: 'cmdb.check', scope: 'host', inputs: { deviceId: HOST, expect: ['online', 'maintenance'], expectSn: '${params.sn}' } },
    { id: 'bmc_check', title: 'BMC status check', tool: 'bmc.status', scope: 'host', inputs: { deviceId: HOST }, retry: BMC_RETRY },
    {
      id: 'cmdb_offline', title: 'Change CMDB status', tool: 'cmdb.set', scope: 'host',
      inputs: { deviceId: HOST, to: 'offline', expectedFrom: '${steps.cmdb_check.outputs.lifecycle}' },
    },
    { id: 'power_off', title: 'Power off', tool: 'bmc.power', scope: 'host', inputs: { deviceId: HOST, action: '${params.powerAction}' }, retry: BMC_RETRY },
    { id: 'host_down', title: 'Host gone', tool: 'host.ping', scope: 'host', inputs: { deviceId: HOST, expect: 'down' }, poll: { intervalMs: 3000, deadlineMs: 900_000 } },
    callbackStep('host_down', { sn: '${host.sn}', hostname: '${host.hostname}', purpose: '${params.purpose}', status: 'offline' }),
  ],
};

export const ARRIVAL_STRESS_TEST: WfTemplate = {
  id: 'arrival-stress-test',
  name: 'Arrival stress test',
  description: 'Burn newly arrived servers in: CPU load for N minutes while BMC temperatures and the SEL are watched (seed 000: 到货压测)',
  params: [
    ...CALLBACK_PARAMS, SN, PURPOSE,
    { name: 'minutes', type: 'number', required: false, default: 60, title: 'Load for (minutes)' },
    { name: 'maxTempC', type: 'number', required: false, default: 90, title: 'Temperature limit (C)' },
    { name: 'maxInletTempC', type: 'number', required: false, default: 40, title: 'Inlet temperature limit (C)' },
    { name: 'requireLoad', type: 'boolean', required: false, default: false, title: 'Fail a host that cannot run the load' },
  ],
  steps: [
    { id: 'cmdb_check', title: 'Check CMDB status', tool: 'cmdb.check', scope: 'host', inputs: { deviceId: HOST, expect: ['racked', 'maintenance'], expectSn: '${params.sn}' } },
    { id: 'bmc_check', title: 'BMC status check', tool: 'bmc.status', scope: 'host', inputs: { deviceId: HOST, expectPower: 'on' }, retry: BMC_RETRY },
    { id: 'check_system', title: 'Check system', tool: 'system.check', scope: 'host', inputs: { deviceId: HOST, expect: 'any' }, retry: ONE_RETRY },
    {
      id: 'burnin', title: 'Burn-in', tool: 'burnin.run', scope: 'host',
      inputs: { deviceId: HOST, minutes: '${params.minutes}', maxTempC: '${params.maxTempC}', maxInletTempC: '${params.maxInletTempC}', requireLoad: '${params.requireLoad}' },
      poll: { intervalMs: 30_000, deadlineMs: 7 * 24 * 3_600_000 + 3_600_000 },
    },
    { id: 'bmc_after', title: 'BMC status after', tool: 'bmc.status', scope: 'host', inputs: { deviceId: HOST }, retry: BMC_RETRY },
    callbackStep('bmc_after', {
      sn: '${host.sn}', hostname: '${host.hostname}', purpose: '${params.purpose}', status: 'passed',
      peakTempC: '${steps.burnin.outputs.peakTempC}', selErrors: '${steps.bmc_after.outputs.selErrors}',
    }),
  ],
};

export const INSPECTION: WfTemplate = {
  id: 'inspection',
  name: 'Inspection',
  description: 'Inspect servers in service: CMDB status, OS, BMC (power, SEL, sensors) and reachability (seed 000: 服务器巡检)',
  params: [...CALLBACK_PARAMS, SN, PURPOSE, { name: 'maxSelCritical', type: 'number', required: false, default: 0, title: 'Critical SEL entries allowed' }],
  steps: [
    { id: 'cmdb_check', title: 'Check CMDB status', tool: 'cmdb.check', scope: 'host', inputs: { deviceId: HOST, expect: ['online'], expectSn: '${params.sn}' } },
    { id: 'check_system', title: 'Check system', tool: 'system.check', scope: 'host', inputs: { deviceId: HOST, expect: 'installed' }, retry: ONE_RETRY },
    { id: 'bmc_check', title: 'BMC status check', tool: 'bmc.status', scope: 'host', inputs: { deviceId: HOST, maxSelCritical: '${params.maxSelCritical}' }, retry: BMC_RETRY },
    { id: 'host_ping', title: 'Host ping check', tool: 'host.ping', scope: 'host', inputs: { deviceId: HOST, expect: 'up' }, poll: { intervalMs: 2000, deadlineMs: 60_000 } },
    callbackStep('host_ping', {
      sn: '${host.sn}', hostname: '${host.hostname}', purpose: '${params.purpose}', status: 'inspected',
      os: '${steps.check_system.outputs.os}', power: '${steps.bmc_check.outputs.power}', selErrors: '${steps.bmc_check.outputs.selErrors}', rttMs: '${steps.host_ping.outputs.rttMs}',
    }),
  ],
};

export const PROVISIONING_TEMPLATES: readonly WfTemplate[] = [SERVER_ONLINE, SERVER_OFFLINE, ARRIVAL_STRESS_TEST, INSPECTION];
