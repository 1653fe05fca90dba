import { sharedVitestConfig } from '@metaspo/vitest-config';

export default sharedVitestConfig;
