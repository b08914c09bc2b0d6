export * from './mail-message';
export * from './mail-transport';
export * from './file-mail-transport';
export * from './smtp-client';
export * from './smtp-mail-transport';
export * from './mail.module';
