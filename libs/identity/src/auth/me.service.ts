import { Injectable } from '@nestjs/common';
import { Principal } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { CallerProfile, MeRepository } from './me.repository';

export interface Me extends CallerProfile {
  type: Principal['type'];
}

@Injectable()
export class MeService {
  constructor(private readonly profiles: MeRepository) {}

  /** The caller as the database knows it now (role and kinds may be fresher than the token's). */
  async me(principal: Principal): Promise<Me> {
    const profile =
      principal.type === 'user' ? await this.profiles.activeUserProfile(principal.id) : await this.profiles.liveApiKeyProfile(principal.id);
    if (!profile) throw new IdentityError('UNAUTHENTICATED', 'this account or key can no longer sign in');
    return { type: principal.type, ...profile };
  }
}
