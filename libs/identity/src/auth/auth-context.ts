/** Where a request came from, for throttling and audit (the IP is never written to the audit log). */
export interface AuthRequestContext {
  ip: string;
  requestId?: string;
}
