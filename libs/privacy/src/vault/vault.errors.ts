/** Why a vault ciphertext (wrapped data key or sealed record) was refused. */
export type VaultFailure = 'MALFORMED' | 'UNKNOWN_VERSION' | 'UNKNOWN_MASTER_KEY' | 'AUTHENTICATION_FAILED';

/**
 * The ciphertext is not ours, was altered, belongs to another person or field, or its key is gone.
 * Deliberately not a DomainError: callers decide what a refusal means (erased person → 410, tampering
 * → alert), and the message never carries plaintext or key material.
 */
export class VaultError extends Error {
  constructor(readonly reason: VaultFailure) {
    super(`vault ciphertext refused: ${reason}`);
    this.name = 'VaultError';
  }
}
