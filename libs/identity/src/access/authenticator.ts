import { Principal } from './principal';

/** Credentials found on a request, extracted by the guard. */
export interface RequestCredentials {
  bearer?: string;
}

/**
 * Turns credentials into a principal. The implementation (access JWTs and API keys) lives in the
 * auth module; the guard only depends on this port.
 */
export abstract class Authenticator {
  /** Resolves the principal, or throws an IdentityError (`UNAUTHENTICATED`, `TOKEN_EXPIRED`, …). */
  abstract authenticate(credentials: RequestCredentials): Promise<Principal>;
}
