export { DEFAULT_ADMIN_DIR, type RunningServer, type StartServerOptions, startServer } from './server.js';
