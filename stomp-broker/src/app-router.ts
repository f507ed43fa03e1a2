import type { Broker } from './broker';
import type { HeaderList } from './frame';
import type { Principal, Session } from './session';

/** What an application handler gets for one SEND to an application destination. */
export interface AppMessage {
  session: Session;
  principal: Principal | undefined;
  destination: string;
  /** Path parameters of the route, e.g. `{channelId}`. */
  params: Record<string, string>;
  headers: HeaderList;
  body: Buffer;
  broker: Broker;
}

/**
 * Handles a SEND to `/app/...`. The RECEIPT for that SEND goes out only once the returned promise
 * resolves, so an application can make RECEIPT mean "durably stored". Throwing a StompError ends
 * the session with that ERROR; to refuse without ending it, tell the client and return.
 */
export type AppHandler = (message: AppMessage) => void | Promise<void>;

interface Route {
  pattern: RegExp;
  names: string[];
  handler: AppHandler;
}

/** Routes `/app/...` destinations by templates like `/channels/{channelId}/messages`. */
export class AppRouter {
  private readonly routes: Route[] = [];

  add(template: string, handler: AppHandler): void {
    const names: string[] = [];
    const source = template
      .split('/')
      .map((part) => {
        const match = /^\{(\w+)\}$/.exec(part);
        if (!match) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(match[1]!);
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ pattern: new RegExp(`^${source}$`), names, handler });
  }

  match(path: string): { handler: AppHandler; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { handler: route.handler, params };
    }
    return undefined;
  }
}
