/** Which process the queue module runs in: the API, or the worker (BullMQ consumers + relay). */
export type QueueProcessRole = 'api' | 'worker';

export interface QueueModuleOptions {
  role: QueueProcessRole;
}

export const QUEUE_MODULE_OPTIONS = Symbol('QUEUE_MODULE_OPTIONS');
