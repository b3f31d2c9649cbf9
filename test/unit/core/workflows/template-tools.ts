// Fake provisioning-shaped tools for the template and engine tests: typed inputs and outputs
// (a BMC check giving a boolean power and a list of SEL lines, an OS install wanting a string
// boot device, a CMDB status set, a ping poll), so bindings have real types to be checked with.
import { z } from 'zod';
import type { Tool } from '../../../../src-main/core/workflows/tool';
import { toolRegistry } from '../../../../src-main/core/workflows/tool';
import { BUILTIN_TOOLS } from '../../../../src-main/core/workflows/workflows-module';
import { done, fakeTool, pending, type Call } from './helpers';

export function provisioningTools(calls: Call[] = []): Tool[] {
  return [
    fakeTool('sys.check', { output: z.object({ os: z.string(), disks: z.number().int(), nics: z.array(z.string()) }) }, calls, () => done({ os: 'centos7', disks: 2, nics: ['eth0'] })),
    fakeTool('bmc.status', {
      input: z.object({ address: z.string(), port: z.number().int().optional() }),
      output: z.object({ reachable: z.boolean(), power: z.boolean(), sel: z.array(z.string()), note: z.string().nullable() }),
    }, calls, () => done({ reachable: true, power: true, sel: [], note: null })),
    fakeTool('cmdb.set', {
      idempotent: false,
      input: z.object({ sn: z.string(), status: z.enum(['racked', 'provisioning', 'online']) }),
      output: z.object({ previous: z.string() }),
    }, calls, () => done({ previous: 'racked' })),
    fakeTool('os.install', {
      kind: 'callback',
      input: z.object({ bootDevice: z.string(), image: z.string(), hostname: z.string(), retries: z.number().int().default(0) }),
      output: z.object({ release: z.string() }),
    }, calls, () => pending()),
    fakeTool('host.ping', { kind: 'poll', input: z.object({ address: z.string() }), output: z.object({ rttMs: z.number() }) }, calls, () => done({ rttMs: 1 })),
    fakeTool('note', { input: z.object({ text: z.string(), count: z.number().optional(), flags: z.array(z.string()).optional() }), output: z.object({ text: z.string() }) }, calls, (_c, i) => done({ text: String(i.text) })),
  ];
}

export const registry = () => toolRegistry([...BUILTIN_TOOLS, ...provisioningTools()]);
