// FleetDeck's SSH: one import for the core.
export * from './errors';
export * from './codec/keys';
export * from './known-hosts';
export * from './codec/quote';
export * from './connection';
export * from './pool';
export * from './exec';
export * from './sftp-upload';
export * from './fleet-run';
