/**
 * Reads the NDJSON event stream of `schemathesis run --report ndjson` (schemathesis 4) and sorts
 * what went wrong into what it means for us:
 *
 * - `checkFailures`: a check failed on a response (5xx, body off its schema, undocumented
 *   status). These are findings about the API.
 * - `serverUnreachable`: requests that got no answer (refused, reset, timed out). Also the API's
 *   fault, most likely a crash or a hang.
 * - `toolErrors`: schemathesis (or hypothesis, or the Python it runs on) raised inside itself:
 *   nothing was learnt about the API; the traceback is in schemathesis' text output.
 *
 * schemathesis exits 1 for all three, so the exit code alone cannot tell them apart.
 */
export interface SchemathesisReport {
  /** `METHOD /path: CODE title (first line of the message)`, one per distinct failure. */
  checkFailures: string[];
  /** `METHOD /path (phase): Type: message`. */
  serverUnreachable: string[];
  /** `METHOD /path (phase): Type: message`, or `(engine): …` for a fatal error. */
  toolErrors: string[];
  /** Per test phase (examples, coverage, fuzzing), the operations whose checks ran in it. */
  testedIn: Record<string, string[]>;
  /** Whether the engine reached its end (EngineFinished with stop reason `completed`). */
  completed: boolean;
}

// Exception class names (requests, urllib3, schemathesis) that mean the server did not answer.
const TRANSPORT_ERRORS = new Set([
  'ConnectionError',
  'ConnectTimeout',
  'ReadTimeout',
  'Timeout',
  'ChunkedEncodingError',
  'ProtocolError',
  'RemoteDisconnected',
  'ServerUnavailable',
]);

interface CheckResult {
  name: string;
  status: string;
  failure_info?: { failure?: { code?: string; title?: string; message?: string } };
}

interface ErrorValue {
  type?: string;
  message?: string;
}

type Event = Record<string, Record<string, unknown>>;

export function parseSchemathesisEvents(ndjson: string): SchemathesisReport {
  const checkFailures = new Set<string>();
  // Sets: schemathesis reports the same error once per generated case.
  const serverUnreachable = new Set<string>();
  const toolErrors = new Set<string>();
  const testedIn: Record<string, Set<string>> = {};
  let completed = false;

  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Event;
    // one key per line: the event's type, holding its fields
    const entry = Object.entries(event)[0];
    if (!entry) continue;
    const [kind, body] = entry;
    switch (kind) {
      case 'ScenarioFinished':
      case 'FuzzScenarioFinished': {
        const recorder = body.recorder as {
          label: string;
          checks?: Record<string, CheckResult[]>;
        };
        const phase = String(body.phase ?? 'fuzzing');
        // an errored scenario sent nothing useful; a skipped one nothing at all
        if (body.status === 'success' || body.status === 'failure')
          (testedIn[phase] ??= new Set()).add(recorder.label);
        for (const results of Object.values(recorder.checks ?? {})) {
          for (const check of results) {
            if (check.status !== 'failure') continue;
            const failure = check.failure_info?.failure ?? {};
            const detail = (failure.message ?? '').split('\n')[0];
            checkFailures.add(
              `${recorder.label}: ${failure.code ?? check.name} ${failure.title ?? 'failed'}` +
                (detail ? ` (${detail})` : ''),
            );
          }
        }
        break;
      }
      case 'NonFatalError': {
        const value = (body.value ?? {}) as ErrorValue;
        const text = `${String(body.label)} (${String(body.phase ?? 'no phase')}): ${value.type}: ${value.message}`;
        (TRANSPORT_ERRORS.has(value.type ?? '') ? serverUnreachable : toolErrors).add(text);
        break;
      }
      case 'FatalError': {
        const value = (body.exception ?? {}) as ErrorValue;
        toolErrors.add(`(engine): ${value.type}: ${value.message}`);
        break;
      }
      case 'EngineFinished':
        completed = body.stop_reason === 'completed';
        break;
    }
  }
  return {
    checkFailures: [...checkFailures].sort(),
    serverUnreachable: [...serverUnreachable],
    toolErrors: [...toolErrors],
    testedIn: Object.fromEntries(
      Object.entries(testedIn).map(([phase, labels]) => [phase, [...labels].sort()]),
    ),
    completed,
  };
}
