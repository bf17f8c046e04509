export * from './fault-matrix';
export * from './fault-server';
export * from './healthy-provider';
export * from './proxy-faults';
export * from './smtp-fault-server';
