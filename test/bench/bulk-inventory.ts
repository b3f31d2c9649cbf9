// Bulk inventory benchmark: 100 k devices imported (CSV, then JSON) and exported (CSV, JSON)
// over serve mode's streamed HTTP routes; prints time, size and the serve process's peak RSS.
// Usage: npm run build && npm run bench:bulk -- [--devices 100000]
import { parseArgs } from 'node:util';
import { bigInventoryCsv } from '../integration/serve/fixtures/big-inventory';
import { download, upload } from '../integration/serve/fixtures/http-bulk';
import { rssMb, sampleRss } from '../integration/serve/fixtures/rss';
import { startServe } from '../support/serve-process';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '100000' } } });
const devices = Number(values.devices);
const serve = await startServe(['--no-lab']);
try {
  console.log(`serve RSS idle: ${rssMb(serve.pid).toFixed(0)} MB`);
  const step = async (label: string, fn: () => Promise<{ status: number; body: string }>): Promise<string> => {
    const rss = sampleRss(serve.pid, 10);
    const t = performance.now();
    const r = await fn();
    const ms = performance.now() - t;
    console.log(`${label}: HTTP ${r.status}, ${(r.body.length / 1e6).toFixed(1)} MB body, ${ms.toFixed(0)} ms, serve peak RSS ${rss.stop().toFixed(0)} MB`);
    return r.body;
  };
  const csv = bigInventoryCsv(devices);
  console.log(`CSV file: ${devices} devices, ${(csv.length / 1e6).toFixed(1)} MB`);
  await step('import csv', () => upload(serve.url, '/api/inventory/import?format=csv', serve.tokens.operator, csv, { chunked: true }));
  await step('export csv', () => download(serve.url, '/api/inventory/export?format=csv', serve.tokens.viewer));
  const json = await step('export json', () => download(serve.url, '/api/inventory/export?format=json', serve.tokens.viewer));
  await step('import json (every record updated)', () => upload(serve.url, '/api/inventory/import?format=json', serve.tokens.operator, json));
} finally {
  await serve.stop();
}
