import { addProblemResponses, problemDescriptions } from './problem-responses';

const ok = { description: 'Ok' };
const problem = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ProblemDocument' } } },
});
const specWith = (responses: Record<string, unknown>) => ({
  paths: { '/things': { get: { responses } } },
  components: { schemas: { ProblemDocument: {} } },
});

describe('addProblemResponses', () => {
  it('gives an operation with no problems of its own the standard set, in status order', () => {
    const spec = specWith({ 200: ok });
    addProblemResponses(spec, { everyOperation: [401, 503], unlessDeclared: [404, 400] });
    expect(Object.keys(spec.paths['/things'].get.responses)).toEqual([
      '200',
      '400',
      '401',
      '404',
      '503',
    ]);
    expect(spec.paths['/things'].get.responses).toMatchObject({
      401: problem(problemDescriptions[401]),
      404: problem(problemDescriptions[404]),
    });
  });

  it("keeps a controller's own problems and adds only everyOperation's to them", () => {
    const spec = specWith({ 200: ok, 403: problem('No role "user"'), 503: problem('Redis down') });
    addProblemResponses(spec, { everyOperation: [401, 503], unlessDeclared: [404, 409] });
    const responses = spec.paths['/things'].get.responses;
    expect(Object.keys(responses)).toEqual(['200', '401', '403', '503']);
    expect(responses).toMatchObject({ 403: problem('No role "user"'), 503: problem('Redis down') });
  });

  it('refuses a status it has no description for, naming where to add it', () => {
    expect(() =>
      addProblemResponses(specWith({ 200: ok }), { everyOperation: [418 as never] }),
    ).toThrow(/status 418.*problem-responses\.ts/);
  });

  it('refuses a spec without the problem schema', () => {
    const spec = { paths: { '/things': { get: { responses: { 200: ok } } } } };
    expect(() => addProblemResponses(spec, { everyOperation: [401] })).toThrow(
      /no ProblemDocument schema/,
    );
  });
});
