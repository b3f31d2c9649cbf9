// China's province-level divisions and the public network model the probe matrix's map uses
// (issue 14): the 34 divisions (their Natural Earth / ISO 3166-2 numeric codes as in
// resources/geo/cn-provinces.geojson, English and Chinese names, a representative city with its
// coordinates), the three carriers, the coordinates of the lab's site cities (so each site can be
// a vantage), and the lab's latency model for the simulated responders that stand for
// "province x carrier" targets: fibre at ~5 us/km over a route factor of 1.5-2.5 drawn per
// province and carrier from a seed, plus a per-carrier cross-network penalty, plus a loss that
// grows with distance. Pure: the same seed always gives the same figures.
import { createRng, hashString } from '../random';

export interface Province {
  /** 'CN-11': the code the map's outlines carry (ISO 3166-2 as Natural Earth has it, the GB/T 2260 number). */
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
  readonly kind: 'province' | 'municipality' | 'autonomous-region' | 'sar';
  /** The representative city (the capital) where its targets are taken to be. */
  readonly city: string;
  readonly lat: number;
  readonly lon: number;
}

const p = (code: string, name: string, nameZh: string, kind: Province['kind'], city: string, lat: number, lon: number): Province => ({ code, name, nameZh, kind, city, lat, lon });

/** The 34 province-level divisions, by code. */
export const PROVINCES: readonly Province[] = [
  p('CN-11', 'Beijing', '北京', 'municipality', 'Beijing', 39.9042, 116.4074),
  p('CN-12', 'Tianjin', '天津', 'municipality', 'Tianjin', 39.0842, 117.2009),
  p('CN-13', 'Hebei', '河北', 'province', 'Shijiazhuang', 38.0428, 114.5149),
  p('CN-14', 'Shanxi', '山西', 'province', 'Taiyuan', 37.8706, 112.5489),
  p('CN-15', 'Inner Mongolia', '内蒙古', 'autonomous-region', 'Hohhot', 40.8424, 111.749),
  p('CN-21', 'Liaoning', '辽宁', 'province', 'Shenyang', 41.8057, 123.4315),
  p('CN-22', 'Jilin', '吉林', 'province', 'Changchun', 43.8171, 125.3235),
  p('CN-23', 'Heilongjiang', '黑龙江', 'province', 'Harbin', 45.8038, 126.535),
  p('CN-31', 'Shanghai', '上海', 'municipality', 'Shanghai', 31.2304, 121.4737),
  p('CN-32', 'Jiangsu', '江苏', 'province', 'Nanjing', 32.0603, 118.7969),
  p('CN-33', 'Zhejiang', '浙江', 'province', 'Hangzhou', 30.2741, 120.1551),
  p('CN-34', 'Anhui', '安徽', 'province', 'Hefei', 31.8206, 117.2272),
  p('CN-35', 'Fujian', '福建', 'province', 'Fuzhou', 26.0745, 119.2965),
  p('CN-36', 'Jiangxi', '江西', 'province', 'Nanchang', 28.682, 115.8579),
  p('CN-37', 'Shandong', '山东', 'province', 'Jinan', 36.6512, 117.1201),
  p('CN-41', 'Henan', '河南', 'province', 'Zhengzhou', 34.7466, 113.6253),
  p('CN-42', 'Hubei', '湖北', 'province', 'Wuhan', 30.5928, 114.3055),
  p('CN-43', 'Hunan', '湖南', 'province', 'Changsha', 28.2282, 112.9388),
  p('CN-44', 'Guangdong', '广东', 'province', 'Guangzhou', 23.1291, 113.2644),
  p('CN-45', 'Guangxi', '广西', 'autonomous-region', 'Nanning', 22.817, 108.3665),
  p('CN-46', 'Hainan', '海南', 'province', 'Haikou', 20.044, 110.1999),
  p('CN-50', 'Chongqing', '重庆', 'municipality', 'Chongqing', 29.563, 106.5516),
  p('CN-51', 'Sichuan', '四川', 'province', 'Chengdu', 30.5728, 104.0668),
  p('CN-52', 'Guizhou', '贵州', 'province', 'Guiyang', 26.647, 106.6302),
  p('CN-53', 'Yunnan', '云南', 'province', 'Kunming', 25.0389, 102.7183),
  p('CN-54', 'Xizang', '西藏', 'autonomous-region', 'Lhasa', 29.652, 91.1721),
  p('CN-61', 'Shaanxi', '陕西', 'province', "Xi'an", 34.3416, 108.9398),
  p('CN-62', 'Gansu', '甘肃', 'province', 'Lanzhou', 36.0611, 103.8343),
  p('CN-63', 'Qinghai', '青海', 'province', 'Xining', 36.6171, 101.7782),
  p('CN-64', 'Ningxia', '宁夏', 'autonomous-region', 'Yinchuan', 38.4872, 106.2309),
  p('CN-65', 'Xinjiang', '新疆', 'autonomous-region', 'Urumqi', 43.8256, 87.6168),
  p('CN-71', 'Taiwan', '台湾', 'province', 'Taipei', 25.033, 121.5654),
  p('CN-91', 'Hong Kong', '香港', 'sar', 'Hong Kong', 22.3193, 114.1694),
  p('CN-92', 'Macau', '澳门', 'sar', 'Macau', 22.1987, 113.5439),
];

const BY_CODE = new Map(PROVINCES.map((x) => [x.code, x]));

/** The province with this code ('CN-11'); throws a clear error for an unknown one. */
export function province(code: string): Province {
  const found = BY_CODE.get(code);
  if (!found) throw new Error(`unknown province code '${code}' (expected one of ${PROVINCES.map((x) => x.code).join(', ')})`);
  return found;
}

export interface Carrier {
  readonly id: 'ct' | 'cu' | 'cm';
  readonly name: string;
  readonly nameZh: string;
  /** The model's one-way cost of crossing from the vantage's network into this carrier's (us). */
  readonly crossPenaltyUs: number;
}

export const CARRIERS: readonly Carrier[] = [
  { id: 'ct', name: 'China Telecom', nameZh: '中国电信', crossPenaltyUs: 800 },
  { id: 'cu', name: 'China Unicom', nameZh: '中国联通', crossPenaltyUs: 1_200 },
  { id: 'cm', name: 'China Mobile', nameZh: '中国移动', crossPenaltyUs: 2_500 },
];
export type CarrierId = Carrier['id'];

function carrier(id: string): Carrier {
  const found = CARRIERS.find((c) => c.id === id);
  if (!found) throw new Error(`unknown carrier '${id}' (expected ${CARRIERS.map((c) => c.id).join(', ')})`);
  return found;
}

/**
 * Coordinates of cities by name: every province's representative city, plus the lab's site
 * cities (src-main/lab/generator.ts SITES: Beijing, Shanghai, Guangzhou, Chengdu, Hangzhou,
 * Wuhan) and a few more data-centre cities, so a site can be a vantage by its city.
 */
export const CITY_COORDS: Readonly<Record<string, { readonly lat: number; readonly lon: number }>> = {
  ...Object.fromEntries(PROVINCES.map((x) => [x.city, { lat: x.lat, lon: x.lon }])),
  Shenzhen: { lat: 22.5431, lon: 114.0579 },
  Suzhou: { lat: 31.2989, lon: 120.5853 },
  Qingdao: { lat: 36.0671, lon: 120.3826 },
  Dalian: { lat: 38.914, lon: 121.6147 },
  Xiamen: { lat: 24.4798, lon: 118.0894 },
  Ningbo: { lat: 29.8683, lon: 121.544 },
  Zhangjiakou: { lat: 40.7676, lon: 114.8863 },
  Ulanqab: { lat: 41.0341, lon: 113.1343 },
};

/** A vantage at a city ('Beijing'); throws a clear error for a city the table does not know. */
export function cityVantage(city: string): { lat: number; lon: number } {
  const c = CITY_COORDS[city];
  if (!c) throw new Error(`no coordinates for city '${city}' (known: ${Object.keys(CITY_COORDS).join(', ')})`);
  return { lat: c.lat, lon: c.lon };
}

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Light in fibre: ~5 us per km one way. */
export const FIBRE_US_PER_KM = 5;
/** The route factor (path length over great-circle distance) is drawn from [min, max). */
export const ROUTE_FACTOR = { min: 1.5, max: 2.5 } as const;
/** Access and processing at both ends, one way (us): a same-city target is not free. */
export const BASE_ONE_WAY_US = 400;
/** Loss: a floor, and the most it grows to for the remotest targets (~4,000 km and beyond). */
export const LOSS = { floor: 0.0005, remote: 0.025, remoteKm: 4000, max: 0.05 } as const;

function checkVantage(v: { lat: number; lon: number }): void {
  if (!Number.isFinite(v.lat) || !Number.isFinite(v.lon) || Math.abs(v.lat) > 90 || Math.abs(v.lon) > 180) {
    throw new Error(`a vantage needs a latitude in [-90, 90] and a longitude in [-180, 180], got ${v.lat}, ${v.lon}`);
  }
}

/** The seeded draws of one province x carrier: its route factor and its loss jitter. */
function draws(provinceCode: string, carrierId: string, seed: number): { routeFactor: number; lossJitter: number } {
  const rnd = createRng(hashString(`${seed >>> 0}|${provinceCode}|${carrierId}`));
  const routeFactor = ROUTE_FACTOR.min + rnd() * (ROUTE_FACTOR.max - ROUTE_FACTOR.min);
  return { routeFactor, lossJitter: 0.5 + rnd() };
}

/**
 * The lab's model of the public network from a vantage to a province's targets on a carrier:
 * one-way latency (us) = base + carrier's cross-network penalty + distance x route factor x 5 us/km,
 * loss = floor + (distance / 4,000 km)^2 x 2.5% x jitter (0.5-1.5), at most 5%.
 * Deterministic per seed; a province at least 5/3 as far on the same carrier is always slower.
 */
export function provinceLatency(vantage: { lat: number; lon: number }, provinceCode: string, carrierId: string, seed: number): { oneWayUs: number; loss: number } {
  checkVantage(vantage);
  const prov = province(provinceCode);
  const car = carrier(carrierId);
  const km = distanceKm(vantage, prov);
  const { routeFactor, lossJitter } = draws(prov.code, car.id, seed);
  const oneWayUs = Math.round(BASE_ONE_WAY_US + car.crossPenaltyUs + km * routeFactor * FIBRE_US_PER_KM);
  const remote = Math.min(1, km / LOSS.remoteKm);
  const loss = Math.min(LOSS.max, LOSS.floor + remote * remote * LOSS.remote * lossJitter);
  return { oneWayUs, loss };
}

/** One public target: a province on a carrier (its simulated responder in the lab). */
export interface PublicTarget {
  /** 'prov:CN-11:ct': stable, the id the console's pinglists and PublicQuality use. */
  readonly id: string;
  readonly province: string;
  readonly carrier: CarrierId;
  readonly addr: string;
}

/** The target id of a province on a carrier. */
export function publicTargetId(provinceCode: string, carrierId: string): string {
  return `prov:${province(provinceCode).code}:${carrier(carrierId).id}`;
}

/** The province and carrier a target id names, or null when it is not a public target id. */
export function parsePublicTargetId(id: string): { province: string; carrier: CarrierId } | null {
  const m = /^prov:(CN-\d{2}):(ct|cu|cm)$/.exec(id);
  if (!m || !BY_CODE.has(m[1])) return null;
  return { province: m[1], carrier: m[2] as CarrierId };
}

/**
 * Every province x carrier target (34 x 3 = 102), in province then carrier order, with addresses
 * in a /24: `prefix` is its first three octets ('10.77.0'; the lab puts it inside its own network
 * namespace), host = 1 + province index x 3 + carrier index (1..102).
 */
export function publicTargets(prefix: string): PublicTarget[] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.?$/.exec(prefix);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) throw new Error(`a public target prefix is the first three octets of an IPv4 /24, e.g. '10.77.0', got '${prefix}'`);
  const base = m.slice(1, 4).map(Number).join('.');
  return PROVINCES.flatMap((prov, i) =>
    CARRIERS.map((car, k) => ({ id: `prov:${prov.code}:${car.id}`, province: prov.code, carrier: car.id, addr: `${base}.${1 + i * CARRIERS.length + k}` })),
  );
}
