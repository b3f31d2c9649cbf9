// Domain types by aggregate, shared by the core, the transports and the renderer. Pure TS, readonly.
export * from './roles';
export * from './inventory';
export * from './device-lifecycle';
export * from './fleet';
export * from './credentials';
export * from './audit';
export * from './lab';
export * from './device';
export * from './run';
export * from './fleet-event';
export * from './search';
export * from './workflow';
export * from './agent';
export * from './probe';
