export * from './identity.errors';
export * from './access/principal';
export * from './access/allow.decorator';
export * from './access/authenticator';
export * from './access/access.guard';
export * from './access/current-principal.decorator';
export * from './identity.module';
export * from './auth/access-token.service';
