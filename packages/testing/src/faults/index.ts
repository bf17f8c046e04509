export * from './fault-matrix';
export * from './fault-server';
export * from './smtp-fault-server';
