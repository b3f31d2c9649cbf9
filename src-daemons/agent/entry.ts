// The agent bundle's entry: runs the command line (main.ts) and exits with its code, or stays
// up while `run` runs.
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`agent: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
