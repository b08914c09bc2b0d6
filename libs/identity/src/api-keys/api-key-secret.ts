import { newSecret, sha256 } from '@sillage/common';

/** API keys are recognisable by their prefix, so the authenticator never tries to parse them as JWTs. */
export const API_KEY_PREFIX = 'slg_';

export function newApiKeySecret(): { secret: string; hash: Buffer; displayPrefix: string } {
  const secret = `${API_KEY_PREFIX}${newSecret(32)}`;
  return { secret, hash: sha256(secret), displayPrefix: secret.slice(0, API_KEY_PREFIX.length + 6) };
}

export function isApiKeySecret(bearer: string): boolean {
  return bearer.startsWith(API_KEY_PREFIX);
}
