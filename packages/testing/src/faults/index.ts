export * from './fault-matrix';
export * from './fault-server';
