// The core host: the utilityProcess the desktop shell forks so better-sqlite3's
// synchronous calls and the pollers never stall the window. Plain Node; talks to the main
// process only through process.parentPort (see core-host-protocol.ts).
import type { ParentPort } from 'electron';
import { createCore } from '../core/create-core';
import { serveCoreHost } from './core-host-service';

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

if (!parentPort) {
  console.error('core-host: no parentPort; this file runs only inside an Electron utilityProcess');
  process.exit(2);
} else {
  const log = (line: string): void => console.log(`[core] ${line}`);
  serveCoreHost({
    port: {
      postMessage: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data)),
    },
    createCore,
    exit: (code) => process.exit(code),
    log,
  });
}
