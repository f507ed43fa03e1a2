import { jestSetupFor } from '../src/testing';

export default jestSetupFor(['postgres', 'redis', 'kafka', 'keycloak']);
