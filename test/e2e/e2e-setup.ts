import { afterEach } from 'vitest';
import { clearFaults } from './local-cloud';

// Runs in every end-to-end file: a test that injected faults into the local cloud and failed
// before ending them would otherwise leave them to every test after it.
afterEach(clearFaults);
