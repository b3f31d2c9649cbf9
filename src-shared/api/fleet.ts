// The fleet read model: overview counts, the poller's figures, and their live streams.
import { event, method, noArgs, result } from './contract';
import type { DeviceStatusChange, FleetOverview, PollerStats } from '../domain/fleet';

export const fleetMethods = {
  'fleet.overview': method({ role: 'viewer', args: noArgs, result: result<FleetOverview>(), example: undefined }),
  'fleet.pollerStats': method({ role: 'viewer', args: noArgs, result: result<PollerStats>(), example: undefined }),
};

export const fleetEvents = {
  onDidChangeDeviceStatus: event({ role: 'viewer', payload: result<DeviceStatusChange[]>() }),
  onDidChangeOverview: event({ role: 'viewer', payload: result<FleetOverview>() }),
};
