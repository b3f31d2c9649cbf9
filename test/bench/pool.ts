// Runs n jobs with at most `parallel` in flight, results in job order: the benchmarks' way of
// running a reference tool (ipmitool, ssh) as many processes at a time.
export async function pool<T>(n: number, parallel: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < n; i = next++) out[i] = await fn(i);
    }),
  );
  return out;
}
