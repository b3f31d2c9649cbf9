// The probe matrix's algorithms, pure TS: topology from inventory, pinglists, minute
// aggregation, fault localisation (007 votes checked by a NetBouncer fit), the lab's network
// model and a window simulator over it. Each file's opening comment documents its exports.
export * from './topology';
export * from './pinglist';
export * from './aggregate';
export * from './localise';
export * from './net-model';
export * from './simulate';
