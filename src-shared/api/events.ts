// Fleet events: the stored history and the live stream.
import { event, method, optionalArgs, optInt, result, text } from './contract';
import type { FleetEvent } from '../domain/fleet-event';

export const eventMethods = {
  'events.recent': method({
    role: 'viewer',
    args: optionalArgs({ limit: optInt(1, 5000), deviceId: text(200).optional() }),
    result: result<FleetEvent[]>(),
    example: { limit: 50, deviceId: 'dev-1' },
  }),
};

export const eventEvents = {
  onDidReceiveFleetEvent: event({ role: 'viewer', payload: result<FleetEvent[]>() }),
};
