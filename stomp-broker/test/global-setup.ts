import { jestSetupFor } from '@echopulse/infra/testing';

// Only the Redis relay's test needs a real server.
export default jestSetupFor(['redis']);
