// The gateway daemon's entry: runs the command line (main.ts) and exits with its code, or stays
// up while `run` runs. Bundled, this one file is also the Maglev worker's (maglev-worker.ts
// starts the bundle itself in a worker thread): there it serves the worker and runs no main.
import { main } from './main';
import { isMaglevWorker } from './maglev-worker';

if (!isMaglevWorker()) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(`mgw: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
