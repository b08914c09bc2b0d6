export * from './identity.errors';
export * from './access/principal';
export * from './access/allow.decorator';
export * from './access/authenticator';
export * from './access/access.guard';
export * from './access/current-principal.decorator';
export * from './access/access-scope';
export {
  ParseIdPipe,
  IfPresent,
  RequestId,
  actorOf,
  decodeTimeCursor,
  cursorKeySql,
  isUniqueViolation,
  isUuid,
  NoControlCharacters,
} from './organisations/directory-support';
export * from './identity.module';
export * from './auth/access-token.service';
export * from './auth/auth-context';
export * from './auth/login-throttle';
export * from './auth/password-hasher';
export * from './auth/password-policy';
export * from './auth/set-password-link';
export * from './auth/set-password-token.service';
export * from './auth/operator-bootstrap.service';
export * from './auth/session.service';
export * from './auth/totp-policy';
export { generateTotpSecret, totpCode, totpUri, verifyTotp } from './auth/totp';
export * from './users/user.repository';
export { PartnershipRepository } from './partnerships/partnership.repository';
