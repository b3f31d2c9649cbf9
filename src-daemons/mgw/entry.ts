// The gateway daemon's entry: runs the command line (main.ts) and exits with its code, or stays
// up while `run` runs. Bundled, this one file is also the Maglev worker's (maglev-worker.ts
// starts the bundle itself in a worker thread): there it serves the worker and runs no main.
import { runEntry } from '../cli';
import { main } from './main';
import { isMaglevWorker } from './maglev-worker';

if (!isMaglevWorker()) runEntry('mgw', main);
