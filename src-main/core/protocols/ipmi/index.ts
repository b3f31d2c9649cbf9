// FleetDeck's IPMI over LAN (RMCP+ and IPMI 1.5): one import for the core.
export * from './errors';
export * from './transport';
export * from './session';
export * from './client';
export * from './client-records';
export * from './sweep';
export type { CipherSuiteChoice } from './session-login';
export type { DeviceId, ChannelAuthCapabilities } from './codec/app-commands';
export type { BootDevice, BootFlags, ChassisStatus, PowerAction, PowerReading, IdentifyState } from './codec/chassis-commands';
export type { RepositoryInfo } from './codec/storage-commands';
export type { SelEntry } from './codec/sel';
export type { SdrRecord, SensorRecord, OtherRecord, Thresholds } from './codec/sdr';
export type { AsfPong } from './codec/rmcp';
export { PRIVILEGE, type PrivilegeLevel } from './codec/constants';
