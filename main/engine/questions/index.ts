/** The questions room: answers to questions, validated as pretix does, stored and read back. */
export {
  answerResources,
  answerLookups,
  answersByIds,
  checkAnswer,
  storeAnswers,
  uniqueAnswers,
  type AnswerByIds,
  type AnswerLookups,
  type AnswerRequest,
  type AnswerResource,
  type NormalisedAnswer,
} from './position-answers';
export { questionsWithOptions, type QuestionWithOptions } from './question-read';
