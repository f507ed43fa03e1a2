import { ApiError, type ApiClient, type Apis, type Problem } from '../composables/use-api';

type Handler = (body: unknown) => unknown;

/**
 * An in-memory ApiClient for store tests: routes by "METHOD /path" (query included), records
 * every call, and answers a route with an `ApiError` when given `fail(status, problem)`.
 */
export class FakeApi implements ApiClient {
  readonly calls: { method: string; path: string; body: unknown }[] = [];
  private readonly routes = new Map<string, Handler>();

  on(route: string, answer: Handler | object | string | number | boolean | null | undefined): this {
    this.routes.set(
      route,
      typeof answer === 'function' ? (answer as Handler) : () => structuredClone(answer),
    );
    return this;
  }

  fail(route: string, status: number, problem: Problem = {}): this {
    this.routes.set(route, () => {
      throw new ApiError(status, problem);
    });
    return this;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.calls.push({ method, path, body });
    const handler = this.routes.get(`${method} ${path}`);
    if (!handler) throw new Error(`FakeApi: no route for ${method} ${path}`);
    return handler(body) as T;
  }

  get<T>(path: string) {
    return this.call<T>('GET', path);
  }
  post<T>(path: string, body?: unknown) {
    return this.call<T>('POST', path, body);
  }
  put<T>(path: string, body?: unknown) {
    return this.call<T>('PUT', path, body);
  }
  patch<T>(path: string, body?: unknown) {
    return this.call<T>('PATCH', path, body);
  }
  delete<T>(path: string) {
    return this.call<T>('DELETE', path);
  }
}

export function fakeApis(): Apis & { server: FakeApi; chat: FakeApi } {
  return { server: new FakeApi(), chat: new FakeApi() };
}
