/** API tokens: created at the desk or on the command line, stored hashed, checked on every API request. */
export {
  createApiToken,
  LAST_USED_RESOLUTION_MS,
  listApiTokens,
  markApiTokenUsed,
  revokeApiToken,
  TOKEN_SCOPES,
  verifyApiToken,
  type ApiTokenInfo,
  type TokenScope,
} from './tokens';
