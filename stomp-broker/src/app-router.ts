import type { HeaderList } from './frame';
import type { Principal, Session } from './session';

/**
 * One SEND to an application destination, as the SEND handler builds it. Application handlers
 * get it as an `AppMessage` (declared with `Broker`), which adds the broker itself.
 */
export interface AppRequest {
  session: Session;
  principal: Principal | undefined;
  /** The full destination, e.g. `/app/channels/42/messages`. */
  destination: string;
  /** Path parameters of the route, e.g. `{ channelId: '42' }` (URI-decoded). */
  params: Record<string, string>;
  /** The SEND frame's headers, in wire order (first of repeated names wins). */
  headers: HeaderList;
  /** The body's octets; `text()` decodes it as UTF-8. */
  body: Buffer;
  /** The first value of a header. */
  header(name: string): string | undefined;
  text(): string;
  /**
   * Adds a header to the RECEIPT of this SEND (sent once the handler's promise resolves), e.g.
   * the id the application gave what it stored. Ignored when the SEND asked for no receipt.
   */
  addReceiptHeader(name: string, value: string): void;
  /**
   * Replies to the sending session only, on its `/user` + `destination` subscriptions
   * (e.g. `reply('/queue/acks', …)` reaches its `/user/queue/acks`), like Spring's @SendToUser.
   */
  reply(destination: string, body: string | Buffer, headers?: HeaderList): void;
}

/** What the router holds: `Broker.handle` wraps an application's `AppHandler` in one of these. */
export type AppRequestHandler = (request: AppRequest) => void | Promise<void>;

interface Route {
  template: string;
  pattern: RegExp;
  names: string[];
  handler: AppRequestHandler;
}

const special = /[.*+?^${}()|[\]\\]/g;

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a malformed %-escape is kept as sent rather than failing the frame
  }
}

/** Routes application destinations by templates like `/channels/{channelId}/messages`. */
export class AppRouter {
  private readonly routes: Route[] = [];

  /** Adds a route; templates are matched in the order they were added. */
  add(template: string, handler: AppRequestHandler): void {
    if (!template.startsWith('/')) throw new Error(`A route starts with "/": ${template}`);
    const names: string[] = [];
    const source = template
      .split('/')
      .map((part) => {
        const match = /^\{(\w+)\}$/.exec(part);
        if (!match) return part.replace(special, '\\$&');
        names.push(match[1]!);
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ template, pattern: new RegExp(`^${source}$`), names, handler });
  }

  /** The handler and params for a path below the application prefix, if any route matches. */
  match(path: string): { handler: AppRequestHandler; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < route.names.length; i++) params[route.names[i]!] = decode(m[i + 1]!);
      return { handler: route.handler, params };
    }
    return undefined;
  }
}
