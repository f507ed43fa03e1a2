import type { IocContainer, IocContainerFactory } from '@tsoa/runtime';
import type { Request as KoaRequest } from 'koa';
import { servicesOf } from './services';

/**
 * tsoa's controller factory: each controller is built with the services of the app serving the
 * request, so several apps (tests) can live in one process without globals.
 */
export const iocContainer: IocContainerFactory = (request: unknown): IocContainer => {
  const services = servicesOf(request as KoaRequest);
  const get = <T>(controller: unknown): T =>
    new (controller as new (s: typeof services) => T)(services);
  return { get } as IocContainer;
};
