import { parseSchemathesisEvents } from './support/schemathesis-report';

// Events as schemathesis 4.32.5 writes them (trimmed copies of real runs: a check failure, the
// CPython AST race inside hypothesis, a refused connection).
const lines = [
  {
    ScenarioFinished: {
      phase: 'examples',
      status: 'skip',
      recorder: { label: 'POST /guilds' },
    },
  },
  {
    ScenarioFinished: {
      phase: 'coverage',
      status: 'success',
      recorder: {
        label: 'GET /guilds',
        checks: { a1: [{ name: 'not_a_server_error', status: 'success' }] },
      },
    },
  },
  {
    ScenarioFinished: {
      phase: 'coverage',
      status: 'failure',
      recorder: {
        label: 'GET /users/@me/guilds',
        checks: {
          b1: [
            { name: 'response_schema_conformance', status: 'success' },
            {
              name: 'not_a_server_error',
              status: 'failure',
              failure_info: { failure: { code: 'ST101', title: 'Server error', message: '' } },
            },
            {
              name: 'status_code_conformance',
              status: 'failure',
              failure_info: {
                failure: {
                  code: 'ST103',
                  title: 'Undocumented status code',
                  message: 'Received: 500\nDocumented: 200, 400, 401, 403, 503',
                },
              },
            },
          ],
          // the same failure found again by another case is one finding
          b2: [
            {
              name: 'not_a_server_error',
              status: 'failure',
              failure_info: { failure: { code: 'ST101', title: 'Server error', message: '' } },
            },
          ],
        },
      },
    },
  },
  {
    ScenarioFinished: {
      phase: 'coverage',
      status: 'error',
      recorder: { label: 'POST /guilds/{guildId}/invites' },
    },
  },
  {
    NonFatalError: {
      value: {
        type: 'SystemError',
        message: 'AST constructor recursion depth mismatch (before=66, after=104)',
      },
      phase: 'coverage',
      label: 'POST /guilds/{guildId}/invites',
      related_to_operation: true,
    },
  },
  ...[1, 2].map(() => ({
    NonFatalError: {
      value: { type: 'ConnectionError', message: 'Connection refused' },
      phase: 'fuzzing',
      label: 'GET /users/@me',
      related_to_operation: true,
    },
  })),
  { EngineFinished: { stop_reason: 'completed' } },
];

describe('parseSchemathesisEvents', () => {
  const report = parseSchemathesisEvents(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

  it('lists each distinct check failure with its operation, code and first line', () => {
    expect(report.checkFailures).toEqual([
      'GET /users/@me/guilds: ST101 Server error',
      'GET /users/@me/guilds: ST103 Undocumented status code (Received: 500)',
    ]);
  });

  it('tells an error inside schemathesis from a server that did not answer', () => {
    expect(report.toolErrors).toEqual([
      'POST /guilds/{guildId}/invites (coverage): SystemError: AST constructor recursion depth mismatch (before=66, after=104)',
    ]);
    expect(report.serverUnreachable).toEqual([
      'GET /users/@me (fuzzing): ConnectionError: Connection refused',
    ]);
  });

  it('counts an operation as tested in a phase only when its checks ran', () => {
    expect(report.testedIn).toEqual({ coverage: ['GET /guilds', 'GET /users/@me/guilds'] });
    expect(report.completed).toBe(true);
  });

  it('reports a fatal engine error and an unfinished run', () => {
    const fatal = parseSchemathesisEvents(
      JSON.stringify({ FatalError: { exception: { type: 'KeyError', message: "'x'" } } }),
    );
    expect(fatal).toEqual({
      checkFailures: [],
      serverUnreachable: [],
      toolErrors: ["(engine): KeyError: 'x'"],
      testedIn: {},
      completed: false,
    });
  });
});
