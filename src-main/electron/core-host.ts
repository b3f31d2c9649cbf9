// The core host: the utilityProcess the desktop shell forks so better-sqlite3's
// synchronous calls and the pollers never stall the window. Plain Node; talks to the main
// process only through process.parentPort (see core-host-protocol.ts). It cannot fork the
// lab (RunAsNode is off in a packaged app): its lab starts through the main process, over
// the same port (lab-bridge-host.ts); every other message goes to serveCoreHost.
import type { ParentPort } from 'electron';
import { createCore } from '../core/create-core';
import { serveCoreHost } from './core-host-service';
import { createLabBridgeHost, withLabStarter } from './lab-bridge-host';

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

if (!parentPort) {
  console.error('core-host: no parentPort; this file runs only inside an Electron utilityProcess');
  process.exit(2);
} else {
  const log = (line: string): void => console.log(`[core] ${line}`);
  const labBridge = createLabBridgeHost((message) => parentPort.postMessage(message));
  serveCoreHost({
    port: {
      postMessage: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (e) => {
        if (!labBridge.handle(e.data)) listener(e.data);
      }),
    },
    createCore: (config) => createCore(withLabStarter(config, labBridge.start)),
    exit: (code) => process.exit(code),
    log,
  });
}
