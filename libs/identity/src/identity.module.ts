import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Clock, SystemClock } from '@sillage/common';
import { Authenticator } from './access/authenticator';
import { ApiKeyAuthRepository } from './api-keys/api-key.repository';
import { AccessTokenService, SIGNING_KEYS } from './auth/access-token.service';
import { CredentialAuthenticator } from './auth/credential-authenticator';
import { loadSigningKeys } from './auth/signing-keys';

/**
 * Identity and access: organisations, partnerships, service categories, users, authentication,
 * API keys and the central authorisation layer. Register new controllers and providers in the
 * lists below, one line each.
 */
@Global()
@Module({
  controllers: [],
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: SIGNING_KEYS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadSigningKeys(config) },
    AccessTokenService,
    ApiKeyAuthRepository,
    { provide: Authenticator, useClass: CredentialAuthenticator },
  ],
  exports: [Authenticator, AccessTokenService, Clock],
})
export class IdentityModule {}
