export { hasTillJournal, verifyTillJournal, type TillVerification } from './verify';
