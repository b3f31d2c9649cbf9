// The contract, the domain types and the error shapes, for whoever imports them whole.
export * from './domain';
export * from './errors';
export * from './api';
export * from './lifecycle';
