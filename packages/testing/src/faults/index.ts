export * from './fault-matrix';
export * from './fault-server';
export * from './healthy-provider';
export * from './smtp-fault-server';
