export { PROTOCOL_ASSETS, type ProtocolAsset } from './catalog.js';
export { ASSET_PARSER_VERSION, fetchProtocolAssets, selectAssets } from './fetch.js';
export { createProtocolStore, type ProtocolStore } from './store.js';
