/** In-browser inference: model cards, the inference worker client, the registry and planners. */
export * from './modelCard';
export * from './preprocess';
export * from './latencyStats';
export * from './remotePlanner';
export { InferenceClient, CancelledError, inferenceClient } from './client';
export * from './registry';
export { suggestPath, activePlannerStatus, runLocalPlanner, type PlannerStatus } from './suggest';
export { connectActivePlanner } from './annotateBridge';
export { prelabelDataset, findUnlabelled, type PrelabelReport } from './prelabel';
