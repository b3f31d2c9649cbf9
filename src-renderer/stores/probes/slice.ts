// The probe views' slice of the app store (key probes): the matrix the route names (level, or the
// server matrix of two ToRs) with its thresholds, the metric and the scrubbed time (null: the
// newest minute, refetched as minutes arrive), the hovered cell, the clicked pair's history, and
// the public network's quality per vantage; the localiser's suspects over the matrix's window
// (one of them opened to its evidence) and the DNS catchment per resolver. The canvas reads the matrix with
// useAppStore.subscribe/getState and repaints its textures in place, outside React.
import type { StateCreator } from 'zustand';
import type { DnsCatchment, PublicQuality } from '../../../src-shared/api/probes';
import type { MatrixLevel, PairFigures, ProbeLocalisation, ProbeMatrix, ProbeThresholds } from '../../../src-shared/domain/probe';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export type MatrixMetric = 'p99' | 'drop';
export type PublicMetric = 'latency' | 'loss';

/** The cell under the pointer: row / column indexes in the open matrix, and where (CSS px in the stage). */
export interface MatrixHover {
  readonly row: number;
  readonly col: number;
  readonly x: number;
  readonly y: number;
}

/** The pair a click opened (source -> destination ids at the matrix's level) and its minutes both ways. */
export interface MatrixPair {
  readonly level: MatrixLevel;
  readonly a: string;
  readonly b: string;
  readonly aLabel: string;
  readonly bLabel: string;
  readonly figures: PairFigures | null;
  readonly error: ShownError | null;
}

export interface ProbesState {
  /** What the open matrix was asked for (the route's level and ToRs, the scrubber's time). */
  request: { level: MatrixLevel; tors: readonly [string, string] | null; at: number | null } | null;
  matrix: ProbeMatrix | null;
  matrixError: ShownError | null;
  /** Bumped with every new matrix (the canvas repaints on it). */
  matrixSeq: number;
  thresholds: ProbeThresholds | null;
  metric: MatrixMetric;
  hover: MatrixHover | null;
  pair: MatrixPair | null;
  /** A host-in-room link that could not be followed (device.detail refused). */
  roomLinkError: ShownError | null;
  publicQuality: PublicQuality | null;
  publicError: ShownError | null;
  publicMetric: PublicMetric;
  /** The localiser's ranked suspects over the window the matrix shows. */
  localisation: ProbeLocalisation | null;
  localisationError: ShownError | null;
  /** The suspect whose evidence pairs are listed (its component id); null: none open. */
  openSuspect: string | null;
  /** Which anycast instance answers each vantage, per resolver. */
  dns: readonly DnsCatchment[] | null;
  /** When dns was read (ms): a vantage's recent move is judged against it. */
  dnsAt: number;
  dnsError: ShownError | null;
}

export interface ProbesSlice {
  probes: ProbesState;
}

export const initialProbes: ProbesState = {
  request: null,
  matrix: null,
  matrixError: null,
  matrixSeq: 0,
  thresholds: null,
  metric: 'p99',
  hover: null,
  pair: null,
  roomLinkError: null,
  publicQuality: null,
  publicError: null,
  publicMetric: 'latency',
  localisation: null,
  localisationError: null,
  openSuspect: null,
  dns: null,
  dnsAt: 0,
  dnsError: null,
};

export const createProbesSlice: StateCreator<AppState, [], [], ProbesSlice> = () => ({ probes: initialProbes });
