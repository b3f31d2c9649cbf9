// FleetDeck's SNMP (net-snmp underneath): one import for the core. codec/ types the values,
// session/ talks to one agent, mib/ reads what the fleet needs, trap/ receives notifications.
export * from './errors';
export * from './codec';
export * from './transport';
export * from './session/credentials';
export * from './session/session';
export * from './session/request-limiter';
export * from './session/table';
export * from './mib/if-mib';
export * from './mib/pdu-profiles';
export * from './mib/device-poll';
export * from './trap/trap-event';
export * from './trap/trap-receiver';
