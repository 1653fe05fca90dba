export { CATALOG_TASKS, PAPER_DOMAIN_SPLITS, UNAVAILABLE_TASKS } from './catalog/index.js';
export { canonicalGold, labelSpaceOf } from './gold.js';
export type { GeneratedItem, ProceduralCatalog, ProceduralTask } from './procedural-catalog.js';
export { PROTOCOL_ASSETS, type ProtocolAsset } from './protocol-assets/index.js';
export { createDatasetsRouter, type DatasetsRouter } from './router.js';
export { createDatasetsService, type DatasetsService, type DatasetsServiceOptions } from './service.js';
export { FIXED_TEST_SEED, SEEDED_TRAIN_FRACTION } from './split.js';
