// What the daemons' command lines share (the agent's and the gateway's main.ts and entry.ts):
// a required option's value, and the bundle entry that runs main and exits with its code (or
// stays up while a `run` command runs: main returns -1).

export function arg(argv: readonly string[], name: string): string {
  const i = argv.indexOf(name);
  if (i < 0 || !argv[i + 1]) throw new Error(`missing ${name}`);
  return argv[i + 1];
}

export function runEntry(program: string, main: (argv: readonly string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(`${program}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
