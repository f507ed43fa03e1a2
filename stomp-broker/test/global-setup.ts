// jest loads global set-up outside the test runtime, without moduleNameMapper: import infra's
// sources by path, not as @echopulse/infra (whose dist/ may not be built).
import { jestSetupFor } from '../../infra/src/testing';

// Only the Redis relay's test needs a real server.
export default jestSetupFor(['redis']);
