import { controllerFactory } from '@echopulse/service-kit/http';
import { servicesOf } from './services';

/** tsoa's controller factory: controllers get the services of the app serving the request. */
export const iocContainer = controllerFactory(servicesOf);
