/**
 * The link a new user opens to choose a password. The token travels after `#`, which browsers never
 * send to a server, so it stays out of access logs and Referer headers.
 */
export function setPasswordLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/set-password#token=${encodeURIComponent(token)}`;
}
