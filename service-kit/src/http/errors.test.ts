import { ConflictError } from '../errors';
import { ValidateError } from '@tsoa/runtime';
import { toAppError } from './errors';

describe('toAppError', () => {
  it('keeps AppErrors as they are', () => {
    const error = new ConflictError('taken', 'already_member');
    expect(toAppError(error)).toBe(error);
  });

  it('turns tsoa validation errors into 400 with the fields', () => {
    const mapped = toAppError(new ValidateError({ 'body.name': { message: 'too short' } }, ''));
    expect(mapped).toMatchObject({
      status: 400,
      code: 'validation_failed',
      extensions: { errors: { 'body.name': { message: 'too short' } } },
    });
  });

  it('maps constraint violations that slipped past the services, and leaves the rest unknown', () => {
    expect(toAppError(Object.assign(new Error('dup'), { code: '23505' }))?.status).toBe(409);
    expect(toAppError(Object.assign(new Error('check'), { code: '23514' }))?.status).toBe(422);
    expect(toAppError(Object.assign(new Error('deadlock'), { code: '40P01' }))?.status).toBe(503);
    expect(toAppError(Object.assign(new Error('nul'), { code: '22021' }))?.status).toBe(400);
    expect(toAppError(new Error('boom'))).toBeUndefined();
    expect(
      toAppError(Object.assign(new Error('internal'), { status: 500, expose: false })),
    ).toBeUndefined();
  });
});
