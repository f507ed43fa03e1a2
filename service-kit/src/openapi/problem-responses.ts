/**
 * The problem responses (RFC 9457) both services document, written once. tsoa reads `@Response`
 * decorators from the source text, so a decorator that wraps `@Response` is invisible to it
 * (lukeautry/tsoa#1672); instead scripts/generate-api.ts adds these to the spec tsoa generates,
 * as each workspace's tsoa.json asks under `problemResponses`.
 */

/** What each status means on every route of the services; a controller's own `@Response` wins. */
export const problemDescriptions = {
  400: 'Malformed JSON or invalid fields',
  401: 'Missing, expired or invalid access token',
  403: 'Not allowed',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state',
  422: 'Breaks a rule of the domain',
  429: 'Too many writes; see Retry-After',
  503: 'Keycloak or a database cannot be reached',
} as const;

export type ProblemStatus = keyof typeof problemDescriptions;

/** tsoa.json's `problemResponses`: which problems to document on which operations. */
export interface ProblemResponsesConfig {
  /** Added to every operation that does not document the status itself. */
  everyOperation?: ProblemStatus[];
  /**
   * Added to every operation that documents no problem (4xx/5xx) of its own beyond
   * `everyOperation`: the standard set of a service's controllers; a controller with its own,
   * narrower set declares it with `@Response` and gets none of these.
   */
  unlessDeclared?: ProblemStatus[];
}

interface Operation {
  responses: Record<string, unknown>;
}

const isProblemStatus = (status: string) => /^[45]\d\d$/.test(status);

/** The response tsoa itself writes for a controller's `@Response<ProblemDocument>(status, …)`. */
function problemResponse(status: ProblemStatus, schemaRef: string) {
  return {
    description: problemDescriptions[status],
    content: { 'application/json': { schema: { $ref: schemaRef } } },
  };
}

/**
 * Adds the configured problem responses to every operation of an OpenAPI 3 spec (in place), in
 * status order as tsoa writes them. Throws when a status has no description or the problem schema
 * is missing, so a typo in tsoa.json fails the generation instead of documenting nothing.
 */
export function addProblemResponses(
  spec: { paths: Record<string, Record<string, Operation>>; components?: { schemas?: object } },
  config: ProblemResponsesConfig,
  schemaName = 'ProblemDocument',
): void {
  const every = config.everyOperation ?? [];
  const standard = config.unlessDeclared ?? [];
  for (const status of [...every, ...standard]) {
    if (!(status in problemDescriptions))
      throw new Error(
        `problemResponses in tsoa.json names status ${status}, which has no description in ` +
          `service-kit/src/openapi/problem-responses.ts: add it there or correct tsoa.json.`,
      );
  }
  if (every.length + standard.length === 0) return;
  if (!spec.components?.schemas || !(schemaName in spec.components.schemas))
    throw new Error(
      `The spec has no ${schemaName} schema for the problem responses: at least one controller ` +
        `must use it (e.g. in a @Response<${schemaName}>), or tsoa does not emit it.`,
    );
  const schemaRef = `#/components/schemas/${schemaName}`;
  for (const operations of Object.values(spec.paths)) {
    for (const operation of Object.values(operations)) {
      const own = Object.keys(operation.responses).filter(
        (status) => isProblemStatus(status) && !every.includes(Number(status) as ProblemStatus),
      );
      const add = own.length === 0 ? [...every, ...standard] : every;
      const responses: Record<string, unknown> = { ...operation.responses };
      for (const status of add) responses[status] ??= problemResponse(status, schemaRef);
      operation.responses = Object.fromEntries(
        Object.entries(responses).sort(([a], [b]) => statusOrder(a) - statusOrder(b)),
      );
    }
  }
}

/** Numeric statuses in order, `default` last, as tsoa writes them. */
const statusOrder = (status: string) => (status === 'default' ? 1000 : Number(status));
