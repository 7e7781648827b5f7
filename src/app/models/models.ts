/** What the Models page needs to know about stored models and the inference backend. */
export { BUILTIN_MODEL_PREFIX } from '../../storage/models';
export type { BackendPreference } from '../../workers/inferenceProtocol';
