// The lab's BMC simulator: one import for the lab.
export { createBmcSimulator, type BmcSimulator, type BmcSimulatorOptions, type BmcStateView } from './bmc-simulator';
export { createBmcFleet, type BmcFleet, type BmcFleetOptions } from './bmc-fleet';
export type { BmcUser } from './bmc-sessions';
export type { DeviceInfo } from './bmc-commands';
export type { BootTarget, PowerCause, SimSensor, SimSensorStatus } from './bmc-state';
