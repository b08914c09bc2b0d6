import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { Clock, SystemClock } from '@sillage/common';
import { Authenticator } from './access/authenticator';
import { ApiKeyAuthRepository } from './api-keys/api-key.repository';
import { AccessTokenService, SIGNING_KEYS } from './auth/access-token.service';
import { CredentialAuthenticator } from './auth/credential-authenticator';
import { loadSigningKeys } from './auth/signing-keys';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { createThrottleStore, LoginThrottle, ThrottleStore } from './auth/login-throttle';
import { MeController } from './auth/me.controller';
import { MeRepository } from './auth/me.repository';
import { MeService } from './auth/me.service';
import { OperatorBootstrapRepository } from './auth/operator-bootstrap.repository';
import { OperatorBootstrapService } from './auth/operator-bootstrap.service';
import { PasswordHasher } from './auth/password-hasher';
import { RefreshTokenRepository } from './auth/refresh-token.repository';
import { SessionService } from './auth/session.service';
import { SetPasswordTokenRepository } from './auth/set-password-token.repository';
import { SetPasswordTokenService } from './auth/set-password-token.service';
import { TotpEnrolmentService } from './auth/totp-enrolment.service';
import { UserRepository } from './users/user.repository';
import { RedisConnection } from '@sillage/queue';
import { AccessScope } from './access/access-scope';
import { ApiKeyManagementRepository } from './api-keys/api-key-management.repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { OrganisationRepository } from './organisations/organisation.repository';
import { OrganisationsController } from './organisations/organisations.controller';
import { OrganisationsService } from './organisations/organisations.service';
import { PartnershipRepository } from './partnerships/partnership.repository';
import { PartnershipsController } from './partnerships/partnerships.controller';
import { PartnershipsService } from './partnerships/partnerships.service';
import { ServiceCategoriesController } from './service-categories/service-categories.controller';
import { ServiceCategoriesService } from './service-categories/service-categories.service';
import { ServiceCategoryRepository } from './service-categories/service-category.repository';
import { UserDirectoryRepository } from './users/user-directory.repository';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { SendSetPasswordEmailJob } from './users/jobs/send-set-password-email.job';
import { SetPasswordEmailRepository } from './users/jobs/set-password-email.repository';

/**
 * Identity and access: organisations, partnerships, service categories, users, authentication,
 * API keys and the central authorisation layer. Register new controllers and providers in the
 * lists below, one line each.
 */
@Global()
@Module({
  controllers: [
    OrganisationsController,
    PartnershipsController,
    ServiceCategoriesController,
    UsersController,
    ApiKeysController,
    AuthController,
    MeController,
  ],
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: SIGNING_KEYS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadSigningKeys(config) },
    AccessTokenService,
    ApiKeyAuthRepository,
    { provide: Authenticator, useClass: CredentialAuthenticator },
    UserRepository,
    PasswordHasher,
    { provide: ThrottleStore, inject: [Clock, { token: RedisConnection, optional: true }], useFactory: createThrottleStore },
    LoginThrottle,
    RefreshTokenRepository,
    SetPasswordTokenRepository,
    SessionService,
    TotpEnrolmentService,
    AuthService,
    SetPasswordTokenService,
    MeRepository,
    MeService,
    OperatorBootstrapRepository,
    OperatorBootstrapService,
    AccessScope,
    OrganisationRepository,
    OrganisationsService,
    PartnershipRepository,
    PartnershipsService,
    ServiceCategoryRepository,
    ServiceCategoriesService,
    UserDirectoryRepository,
    UsersService,
    ApiKeyManagementRepository,
    ApiKeysService,
    SetPasswordEmailRepository,
    SendSetPasswordEmailJob,
  ],
  exports: [
    Authenticator,
    ThrottleStore,
    AccessTokenService,
    Clock,
    AccessScope,
    SetPasswordTokenService,
    OperatorBootstrapService,
    UserRepository,
    PartnershipRepository,
  ],
})
export class IdentityModule {}
