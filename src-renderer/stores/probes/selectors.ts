// Probe views' selectors over the app store, at module scope; each returns a value already in the state.
import type { AppState } from '../store';

export const selectPrMatrix = (s: AppState) => s.probes.matrix;
export const selectPrMatrixError = (s: AppState) => s.probes.matrixError;
export const selectPrRequest = (s: AppState) => s.probes.request;
export const selectPrThresholds = (s: AppState) => s.probes.thresholds;
export const selectPrMetric = (s: AppState) => s.probes.metric;
export const selectPrHover = (s: AppState) => s.probes.hover;
export const selectPrPair = (s: AppState) => s.probes.pair;
export const selectPrRoomLinkError = (s: AppState) => s.probes.roomLinkError;
export const selectPrPublic = (s: AppState) => s.probes.publicQuality;
export const selectPrPublicError = (s: AppState) => s.probes.publicError;
export const selectPrPublicMetric = (s: AppState) => s.probes.publicMetric;
export const selectPrLocalisation = (s: AppState) => s.probes.localisation;
export const selectPrLocalisationError = (s: AppState) => s.probes.localisationError;
export const selectPrOpenSuspect = (s: AppState) => s.probes.openSuspect;
export const selectPrDns = (s: AppState) => s.probes.dns;
export const selectPrDnsAt = (s: AppState) => s.probes.dnsAt;
export const selectPrDnsError = (s: AppState) => s.probes.dnsError;
