/** Camera math shared by the importers, the simulator, the exporters and the live console. */
export * from './projection';
export * from './dlt';
export { symmetricEigen } from './linalg';
