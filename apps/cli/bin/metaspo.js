#!/usr/bin/env node
// The built CLI (`pnpm build`). In the workspace, `pnpm metaspo` runs the TypeScript sources
// without a build; this file exists so installs can link the bin before anything is built.
await import('../dist/main.js');
