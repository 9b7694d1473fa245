export * from './errors';
export * from './enums';
export * from './tickets-enums';
export * from './schemas/common';
export * from './schemas/health';
export * from './schemas/auth';
export * from './schemas/studios';
export * from './schemas/uploads';
