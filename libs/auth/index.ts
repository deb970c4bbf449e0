export {
  hashPassword,
  verifyPassword,
  dummyVerifyPassword,
  needsRehash,
  passwordProblems,
  SCRYPT_PARAMS,
  scryptParamsFor,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
} from './password';
export type { ScryptParams } from './password';
export {
  signAccessToken,
  verifyAccessToken,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_AUDIENCE,
} from './access-token';
export type {
  AccessTokenClaims,
  AccessTokenFailure,
  AccessTokenVerification,
} from './access-token';
export {
  API_TOKEN_PREFIX,
  hashToken,
  tokenHashesEqual,
  newRefreshToken,
  isRefreshTokenShaped,
  newApiToken,
  parseApiToken,
} from './opaque-token';
export {
  afterFailedLogin,
  failedLoginDelayMs,
  isLocked,
  FAILED_LOGIN_DELAY_MAX_MS,
} from './login-throttle';
export type { LoginFailureState, LockoutPolicy } from './login-throttle';
export { HashingLimit } from './hashing-limit';
