import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DomainError } from '../../../common/errors/domain-error';
import { SingleLine } from '../../../common/http/text-fields';
import { checkDto, formErrors, problemsFromRefusal, type FieldSpec } from './console-form';

class ExampleDto {
  @Matches(/^\d{3,6}$/, { message: 'must be 3-6 digits' }) code: string;
  @SingleLine() @IsString() @MinLength(2) @MaxLength(20) name: string;
  @IsIn(['a', 'b']) kind: string;
  @IsOptional() @IsEmail() email?: string;
}

const FIELDS: FieldSpec = {
  code: { id: 'x-code', label: 'site code' },
  name: { id: 'x-name', label: 'site name' },
  kind: { id: 'x-kind', label: 'class', choose: true },
  email: { id: 'x-email', label: 'email address' },
};

describe('console forms checked against the API’s DTO', () => {
  it('names each problem on its input in the desk’s words', () => {
    const check = checkDto(ExampleDto, { code: '12', name: ' \n ', kind: '', email: 'nope' }, FIELDS);
    expect(check).toEqual({
      ok: false,
      problems: [
        { field: 'x-code', message: 'Site code must be 3-6 digits' },
        { field: 'x-name', message: 'Enter the site name' },
        { field: 'x-kind', message: 'Choose the class' },
        { field: 'x-email', message: 'Email address must be an email' },
      ],
    });
  });

  it('applies the DTO’s transforms and the text rule (no NUL)', () => {
    const ok = checkDto(ExampleDto, { code: '123', name: 'Two\nlines', kind: 'a' }, FIELDS);
    expect(ok).toMatchObject({ ok: true, value: { name: 'Two lines' } });
    const nul = checkDto(ExampleDto, { code: '123', name: 'a\u0000b', kind: 'a' }, FIELDS);
    expect(nul).toMatchObject({
      ok: false,
      problems: [{ field: 'x-name', message: expect.stringMatching(/^Site name must not contain a NUL/) }],
    });
  });

  it('puts a service’s refusal on the field it names, or nowhere', () => {
    const taken = new DomainError('DIRECTORY.CODE_TAKEN', 'A site with code "123" already exists.', {
      field: 'code',
    });
    expect(problemsFromRefusal(taken, FIELDS)).toEqual([{ field: 'x-code', message: taken.message }]);
    const unknown = new DomainError('DIRECTORY.UNKNOWN_REFERENCE', 'kind: nothing', { field: 'kind' });
    expect(problemsFromRefusal(unknown, FIELDS)).toEqual([
      { field: 'x-kind', message: 'There is no such class' },
    ]);
    const listed = new DomainError('REQUEST.VALIDATION_FAILED', 'bad', {
      fields: [{ field: 'name', reasons: ['is required for a trust_manager'] }],
    });
    expect(problemsFromRefusal(listed, FIELDS)).toEqual([
      { field: 'x-name', message: 'Site name is required for a trust_manager' },
    ]);
    expect(problemsFromRefusal(new DomainError('USER.LAST_ADMIN', 'last'), FIELDS)).toBeNull();
  });

  it('gives the summary links and each input’s first message', () => {
    expect(
      formErrors([
        { field: 'a', message: 'one' },
        { field: 'a', message: 'two' },
      ]),
    ).toEqual({
      errors: [
        { href: '#a', message: 'one' },
        { href: '#a', message: 'two' },
      ],
      errorFor: { a: 'one' },
    });
  });
});
