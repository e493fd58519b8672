// Public API of the map engine: Go type syntax → layout → growth timeline.

export type { BasicName, GoType, StructField } from './go-type';
export { formatGoType } from './go-type';
export { parseGoType, GoTypeSyntaxError, MAX_TYPE_DEPTH, type ParseTypeOptions } from './parse-type';
export { layoutOf, alignUp, type Layout, type LayoutOptions, type TypeDeclaration, type TypeResolver } from './layout';
export { STDLIB_TYPE_NAMES } from './stdlib-types';
export {
  SIZE_CLASSES, PAGE_SIZE, allocatorFor, charge, roundupsize, sizeClass, type AllocatorModel,
} from './allocator';
export {
  mapImplFor, parseGoVersion, resolveGoTarget, GoVersionError, NEWEST_MODELED_MINOR,
  type GoTarget, type MapImpl,
} from './go-version';
export { mapShape, assignPathFor, MAX_INLINE_BYTES, type MapShape, type AssignPath } from './map-shape';
export { classicThreshold, classicBForHint, classicBucketArray, overLoadFactor } from './classic';
export { maxGrowthLeft, swissHintPlan, MAX_TABLE_CAPACITY } from './swiss-common';
export { addCorner, type EventKind, type GrowthEvent } from './timeline';
export { parseWorkload, formatWorkload, WorkloadError, type Workload } from './workload';
export { hintPlan, MAX_HINT, type HintPlan } from './hint-bound';
export {
  predict, PredictError, MAX_ENTRIES, SOURCE_MAX_ENTRIES, type PredictOptions, type Prediction, type Spread, type SpreadEvent, type Stat,
} from './predict';
export { allocationSizes, type AllocationSizes } from './sizes';
