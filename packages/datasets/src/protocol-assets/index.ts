export { PROTOCOL_ASSETS, type ProtocolAsset } from './catalog.js';
export { fetchProtocolAssets, selectAssets } from './fetch.js';
export { createProtocolStore, type ProtocolStore } from './store.js';
