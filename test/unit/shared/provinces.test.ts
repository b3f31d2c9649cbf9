// China's province outlines (resources/geo/cn-provinces.geojson) and the province table agree
// one to one, each outline holds its own representative city (so a code colours the right
// shape), the file stays small enough to ship; every lab site's city can be a vantage; the
// lab's public network model is deterministic per seed, keeps loss within [0, 5%], makes a
// clearly nearer province faster on the same carrier, and the pinglist targets are one per
// province x carrier with stable ids and distinct addresses.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateLab } from '../../../src-main/lab/generator';
import {
  CARRIERS, PROVINCES, cityVantage, distanceKm, parsePublicTargetId, province, provinceLatency, publicTargets, publicTargetId, FIBRE_US_PER_KM, ROUTE_FACTOR,
} from '../../../src-shared/probe/provinces';

type Ring = [number, number][];
interface Feature { properties: { code: string; name: string; name_zh: string }; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: Ring[] | Ring[][] } }
const FILE = new URL('../../../resources/geo/cn-provinces.geojson', import.meta.url);
const geo = JSON.parse(readFileSync(FILE, 'utf8')) as { type: string; features: Feature[] };

function polygons(f: Feature): Ring[][] {
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Ring[]] : (f.geometry.coordinates as Ring[][]);
}

/** Even-odd point in polygon (rings after the first are holes). */
function contains(f: Feature, lon: number, lat: number): boolean {
  return polygons(f).some((rings) => {
    let inside = false;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    return inside;
  });
}

const SITE_CITIES = [...new Set(generateLab(1, { sites: 6, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 60 }).sites.map((s) => s.city))];

describe('province outlines', () => {
  it('has exactly one outline per province in the table, with its names', () => {
    expect(geo.type).toBe('FeatureCollection');
    const codes = geo.features.map((f) => f.properties.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(PROVINCES.map((p) => p.code).sort());
    for (const f of geo.features) {
      const p = province(f.properties.code);
      expect(f.properties).toEqual({ code: p.code, name: p.name, name_zh: p.nameZh });
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    }
  });

  it('puts each province where its representative city is', () => {
    const misplaced = PROVINCES.filter((p) => p.code !== 'CN-92').filter((p) => !contains(geo.features.find((f) => f.properties.code === p.code)!, p.lon, p.lat));
    expect(misplaced.map((p) => `${p.code} ${p.city}`)).toEqual([]);
    // Macau's outline is a few vertices at this scale: its city is at least within ~5 km of it.
    const macau = polygons(geo.features.find((f) => f.properties.code === 'CN-92')!).flat(2);
    expect(Math.min(...macau.map(([lon, lat]) => distanceKm({ lat, lon }, province('CN-92'))))).toBeLessThan(5);
    // and no city lies inside another province's outline
    for (const p of PROVINCES) {
      const others = geo.features.filter((f) => f.properties.code !== p.code && contains(f, p.lon, p.lat));
      expect(others.map((f) => f.properties.code), p.code).toEqual([]);
    }
  });

  it('is small enough to ship', () => {
    expect(statSync(FILE).size).toBeLessThan(400 * 1024);
  });
});

describe('province table', () => {
  it('has the 34 province-level divisions with unique codes and Chinese names', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(34);
    for (const p of PROVINCES) {
      expect(p.code).toMatch(/^CN-\d{2}$/);
      expect(p.nameZh).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(p.lat).toBeGreaterThan(18);
      expect(p.lat).toBeLessThan(54);
      expect(p.lon).toBeGreaterThan(73);
      expect(p.lon).toBeLessThan(135);
    }
    expect(province('CN-11').nameZh).toBe('北京');
    expect(() => province('CN-99')).toThrow(/unknown province code 'CN-99'/);
  });

  it('knows the coordinates of every lab site city', () => {
    expect(SITE_CITIES.length).toBeGreaterThanOrEqual(6);
    for (const city of SITE_CITIES) expect(() => cityVantage(city), city).not.toThrow();
    expect(distanceKm(cityVantage('Beijing'), cityVantage('Shanghai'))).toBeGreaterThan(1000);
    expect(distanceKm(cityVantage('Beijing'), cityVantage('Shanghai'))).toBeLessThan(1150);
    expect(() => cityVantage('Atlantis')).toThrow(/no coordinates for city 'Atlantis'/);
  });
});

describe('provinceLatency', () => {
  const vantages = SITE_CITIES.map((c) => ({ city: c, ...cityVantage(c) }));

  it('is deterministic per seed and varies with the seed', () => {
    const all = (seed: number) => vantages.flatMap((v) => PROVINCES.flatMap((p) => CARRIERS.map((c) => provinceLatency(v, p.code, c.id, seed))));
    expect(all(7)).toEqual(all(7));
    const a = all(7);
    const b = all(8);
    expect(a.filter((x, i) => x.oneWayUs !== b[i].oneWayUs).length).toBeGreaterThan(a.length / 2);
  });

  it('keeps loss within [0, 0.05], higher for remote provinces', () => {
    for (const seed of [1, 2, 3]) {
      for (const v of vantages) for (const p of PROVINCES) for (const c of CARRIERS) {
        const { loss, oneWayUs } = provinceLatency(v, p.code, c.id, seed);
        expect(loss).toBeGreaterThanOrEqual(0);
        expect(loss).toBeLessThanOrEqual(0.05);
        expect(oneWayUs).toBeGreaterThan(0);
      }
    }
    const sh = cityVantage('Shanghai');
    for (const c of CARRIERS) expect(provinceLatency(sh, 'CN-65', c.id, 1).loss).toBeGreaterThan(provinceLatency(sh, 'CN-32', c.id, 1).loss * 5);
  });

  it('makes a clearly nearer province faster on the same carrier', () => {
    for (const seed of [1, 42]) for (const v of vantages) for (const c of CARRIERS) {
      const byKm = PROVINCES.map((p) => ({ p, km: distanceKm(v, p), us: provinceLatency(v, p.code, c.id, seed).oneWayUs }));
      for (const near of byKm) for (const far of byKm) {
        if (far.km > near.km * 1.7 + 1) expect(far.us, `${v.city} ${c.id}: ${near.p.code} vs ${far.p.code}`).toBeGreaterThan(near.us);
      }
    }
    const bj = cityVantage('Beijing');
    for (const c of CARRIERS) expect(provinceLatency(bj, 'CN-12', c.id, 5).oneWayUs).toBeLessThan(provinceLatency(bj, 'CN-65', c.id, 5).oneWayUs);
  });

  it('draws the route factor within 1.5-2.5 of fibre distance over the fixed costs', () => {
    const bj = cityVantage('Beijing');
    const p = province('CN-44');
    const km = distanceKm(bj, p);
    const fixed = (id: string) => provinceLatency(p, p.code, id, 3).oneWayUs; // same place: no distance
    for (const c of CARRIERS) for (const seed of [1, 2, 3, 4, 5]) {
      const factor = (provinceLatency(bj, p.code, c.id, seed).oneWayUs - fixed(c.id)) / (km * FIBRE_US_PER_KM);
      expect(factor).toBeGreaterThanOrEqual(ROUTE_FACTOR.min - 0.001);
      expect(factor).toBeLessThan(ROUTE_FACTOR.max + 0.001);
    }
  });

  it('rejects an unknown carrier or a bad vantage with a clear error', () => {
    expect(() => provinceLatency(cityVantage('Wuhan'), 'CN-11', 'att', 1)).toThrow(/unknown carrier 'att'/);
    expect(() => provinceLatency({ lat: 200, lon: 0 }, 'CN-11', 'ct', 1)).toThrow(/latitude in \[-90, 90\]/);
  });
});

describe('publicTargets', () => {
  it('gives one target per province x carrier with stable ids and distinct addresses in the prefix', () => {
    const targets = publicTargets('10.77.0');
    expect(targets).toHaveLength(PROVINCES.length * CARRIERS.length);
    expect(new Set(targets.map((t) => t.id)).size).toBe(targets.length);
    expect(new Set(targets.map((t) => t.addr)).size).toBe(targets.length);
    expect(targets[0]).toEqual({ id: 'prov:CN-11:ct', province: 'CN-11', carrier: 'ct', addr: '10.77.0.1' });
    for (const t of targets) {
      expect(t.addr).toMatch(/^10\.77\.0\.(\d+)$/);
      expect(Number(t.addr.split('.')[3])).toBeLessThan(255);
      expect(parsePublicTargetId(t.id)).toEqual({ province: t.province, carrier: t.carrier });
      expect(publicTargetId(t.province, t.carrier)).toBe(t.id);
    }
    expect(publicTargets('10.77.0')).toEqual(targets);
  });

  it('rejects a prefix that is not a /24 and ids that are not public targets', () => {
    expect(() => publicTargets('10.77')).toThrow(/first three octets/);
    expect(() => publicTargets('10.300.0')).toThrow(/first three octets/);
    expect(parsePublicTargetId('prov:CN-99:ct')).toBeNull();
    expect(parsePublicTargetId('dev-a')).toBeNull();
  });
});
