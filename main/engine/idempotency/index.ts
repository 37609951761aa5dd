export {
  authHash,
  claimApiCall,
  finishApiCall,
  queryApiCall,
  releaseApiCall,
  type ClaimResult,
  type StoredResponse,
} from './api-calls';
export { onceForKey, type KeyedDeskAction } from './desk-actions';
