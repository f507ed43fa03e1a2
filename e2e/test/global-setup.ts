// jest loads global set-up outside the test runtime, without moduleNameMapper: import infra's
// sources by path, not as @echopulse/infra (whose dist/ may not be built).
import { jestSetupFor } from '../../infra/src/testing';

export default jestSetupFor(['postgres', 'redis', 'kafka', 'keycloak']);
