import { ConflictError, RateLimitedError } from './app-error';
import { toProblem } from './problem';

describe('toProblem', () => {
  it('maps an AppError to an RFC 9457 document with its code and extensions', () => {
    expect(toProblem(new RateLimitedError(3), '/api/guilds')).toEqual({
      type: 'https://echopulse.dev/problems/rate_limited',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Too many requests; retry in 3 s.',
      code: 'rate_limited',
      retryAfter: 3,
      instance: '/api/guilds',
    });
    expect(toProblem(new ConflictError('Already a member.', 'already_member'))).toMatchObject({
      status: 409,
      code: 'already_member',
    });
  });

  it('answers anything else as a bare 500 that leaks nothing', () => {
    const problem = toProblem(new Error('password=hunter2 in SELECT …'));
    expect(problem).toMatchObject({ status: 500, code: 'internal' });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});
