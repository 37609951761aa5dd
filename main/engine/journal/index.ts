export { verifyTillJournal, type TillVerification } from './verify';
