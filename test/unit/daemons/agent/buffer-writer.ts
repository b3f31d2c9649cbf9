// A child process for buffer.test.ts: appends to a result buffer in a loop, printing how many
// appends have returned every 100, until the test kills it with SIGKILL (a crash mid-write).
import { openResultBuffer } from '../../../../src-daemons/agent/buffer';

const b = openResultBuffer({ dir: process.argv[2], segmentBytes: 4096, maxBytes: 1 << 30 });
const batch = (): void => {
  for (let i = 0; i < 100; i++) b.append({ kind: 'status', state: 'ok', cpuPct: 1, rssBytes: b.lastSeq, bufferDepth: b.lastSeq, bufferBytes: 0, dropped: 0 }, Date.now());
  process.stdout.write(`appended ${b.lastSeq}\n`);
  setImmediate(batch);
};
batch();
