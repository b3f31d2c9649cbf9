// Entry of the lab fleet as an Electron utilityProcess (the desktop; the main process
// starts it for the core host, lab-bridge-main.ts). Gives the lab process fork-style IPC
// over parentPort (fork-ipc.ts), then runs the lab entry built beside it (out/main/lab.js).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParentPort } from 'electron';
import { installForkIpc } from './fork-ipc';

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

if (!parentPort) {
  console.error('lab-utility: no parentPort; this file runs only inside an Electron utilityProcess');
  process.exit(2);
} else {
  installForkIpc(process, parentPort);
  await import(pathToFileURL(join(__dirname, 'lab.js')).href);
}
