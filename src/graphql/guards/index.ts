export { DEFAULT_GUARD_LIMITS, type GuardLimits } from './limits.js';
export { limitError, QueryTooComplexError } from './errors.js';
export { checkDocumentText, parseWithLimits } from './document.js';
export { depthLimitRule, type DepthProbe } from './depth.js';
export { guardRules, hideSuggestions } from './rules.js';
export { operationCost, pageCost, rowsCost, seriesRows, type ComplexityEstimatorArgs, type CostProbe } from './cost.js';
export { validateOperation, type GuardedOperation } from './validate-operation.js';
