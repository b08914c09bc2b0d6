import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '@sillage/common';
import { UserRepository } from '../users/user.repository';
import { OperatorBootstrapRepository } from './operator-bootstrap.repository';
import { OperatorBootstrapService } from './operator-bootstrap.service';
import { PasswordHasher } from './password-hasher';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SetPasswordTokenRepository } from './set-password-token.repository';
import { SetPasswordTokenService } from './set-password-token.service';

/**
 * Just what `OperatorBootstrapService` needs, for the CLI: no HTTP, no job relay, no Redis. Needs
 * ConfigModule, DbModule and AuditModule alongside. (The API gets the same service from IdentityModule.)
 */
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    PasswordHasher,
    UserRepository,
    OperatorBootstrapRepository,
    SetPasswordTokenRepository,
    RefreshTokenRepository,
    SetPasswordTokenService,
    OperatorBootstrapService,
  ],
  exports: [OperatorBootstrapService],
})
export class OperatorBootstrapModule {}
