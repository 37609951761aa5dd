export {
  authHash,
  claimApiCall,
  finishApiCall,
  queryApiCall,
  releaseApiCall,
  type ClaimResult,
  type StoredResponse,
} from './api-calls';
