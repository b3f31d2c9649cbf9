// The SNMP codec's one import: typed varbind values, Counter64, OID arithmetic and the codec's
// errors. Pure functions over net-snmp's types; the lab and the daemons may import this folder only.
export * from './counter64';
export * from './errors';
export * from './oid';
export * from './values';
