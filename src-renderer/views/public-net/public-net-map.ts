// The public network map's deck.gl canvas: one Deck (one WebGL context) with a MapView per
// vantage side by side, each drawing its own GeoJsonLayer of China's provinces coloured by that
// vantage's figures (layerFilter keeps each layer to its view). New figures or another metric
// recolour through updateTriggers; the outlines' geometry is built once.
import { Deck, MapView, type PickingInfo } from '@deck.gl/core';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { PublicMetric } from '../../stores/probes/slice';
import { provinceColour, type ProvinceFigures } from './quality';

export interface ProvinceFeature {
  readonly type: 'Feature';
  readonly properties: { readonly code: string; readonly name: string; readonly name_zh: string };
  readonly geometry: unknown;
}
export interface ProvinceOutlines {
  readonly type: 'FeatureCollection';
  readonly features: readonly ProvinceFeature[];
}

export interface MapHover {
  readonly vantage: number;
  readonly code: string;
  readonly x: number;
  readonly y: number;
}

const CHINA = { longitude: 104.5, latitude: 36, zoom: 2.2, pitch: 0, bearing: 0 };

export class PublicNetMap {
  readonly deck: Deck<MapView[]>;
  frames = 0;
  private version = 0;

  constructor(
    parent: HTMLDivElement,
    private readonly outlines: ProvinceOutlines,
    private readonly onHover: (h: MapHover | null) => void,
  ) {
    this.deck = new Deck<MapView[]>({
      parent,
      views: [],
      layers: [],
      useDevicePixels: 1,
      onAfterRender: () => {
        this.frames += 1;
      },
      onHover: (info: PickingInfo<ProvinceFeature>) => {
        const code = info.object?.properties.code;
        const vantage = Number((info.viewport?.id ?? '').replace('vantage-', ''));
        this.onHover(code && Number.isInteger(vantage) ? { vantage, code, x: info.x, y: info.y } : null);
      },
      layerFilter: ({ layer, viewport }) => layer.id === `provinces-${viewport.id}`,
    });
  }

  /** One map per vantage, coloured by its figures (per province code) and the metric. */
  setFigures(vantages: readonly Map<string, ProvinceFigures>[], metric: PublicMetric): void {
    const n = Math.max(1, vantages.length);
    this.version += 1;
    const views = Array.from({ length: n }, (_, i) => new MapView({ id: `vantage-${i}`, x: `${(100 / n) * i}%`, width: `${100 / n}%`, controller: false, repeat: false }));
    const viewState = Object.fromEntries(views.map((v) => [v.id, { ...CHINA, zoom: CHINA.zoom + Math.log2(1 / n) + (n > 1 ? 0.6 : 0) }]));
    const layers = views.map((v, i) => {
      const figures = vantages[i];
      return new GeoJsonLayer<ProvinceFeature['properties']>({
        id: `provinces-${v.id}`,
        data: this.outlines as never,
        pickable: true,
        stroked: true,
        filled: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
        getLineColor: [90, 98, 110, 255],
        getFillColor: (f) => [...provinceColour(figures?.get(f.properties.code), metric)] as [number, number, number, number],
        updateTriggers: { getFillColor: [this.version, metric] },
      });
    });
    this.deck.setProps({ views, viewState, layers });
  }

  dispose(): void {
    this.deck.finalize();
  }
}
