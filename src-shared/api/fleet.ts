// The fleet read model: overview counts, the poller's figures, a room's live readings, and their live streams.
import { z } from 'zod';
import { event, method, noArgs, result, text } from './contract';
import type { DeviceStatusChange, FleetOverview, PollerStats, RoomReadings } from '../domain/fleet';

export const fleetMethods = {
  'fleet.overview': method({ role: 'viewer', args: noArgs, result: result<FleetOverview>(), example: undefined }),
  'fleet.pollerStats': method({ role: 'viewer', args: noArgs, result: result<PollerStats>(), example: undefined }),
  /** One room's live readings for the 3D view's colour modes: power use, inlet temperature, worst status, feed redundancy, identify. */
  'fleet.roomReadings': method({ role: 'viewer', args: z.strictObject({ roomId: text(200) }), result: result<RoomReadings>(), example: { roomId: 'room-1' } }),
};

export const fleetEvents = {
  onDidChangeDeviceStatus: event({ role: 'viewer', payload: result<DeviceStatusChange[]>() }),
  onDidChangeOverview: event({ role: 'viewer', payload: result<FleetOverview>() }),
};
