import { strict as assert } from 'node:assert';
import { multi, pyRepr, validate, validateQuery } from '../../src/api/validation';

const message = (fn: () => void): string => {
  try { fn(); } catch (e) { return (e as Error).message; }
  throw new Error('expected a validation error');
};

describe('api/validation (Nova\'s jsonschema behaviour)', () => {
  it('writes values as Python\'s repr does in reasons', () => {
    assert.equal(pyRepr('abc'), "'abc'");
    assert.equal(pyRepr("it's"), '"it\'s"');
    assert.equal(pyRepr('a\\b'), "'a\\\\b'");
    assert.equal(pyRepr(null), 'None');
    assert.equal(pyRepr([true, false, 1]), '[True, False, 1]');
    assert.equal(pyRepr({ a: 'b' }), "{'a': 'b'}");
  });

  it('checks minimum and maximum on numeric strings too', () => {
    const schema = { type: 'object', properties: { n: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 1, maximum: 10 } } };
    assert.equal(message(() => validate(schema, { n: '0' })), 'Invalid input for field/attribute n. Value: 0. 0 is less than the minimum of 1');
    assert.equal(message(() => validate(schema, { n: 11 })), 'Invalid input for field/attribute n. Value: 11. 11 is greater than the maximum of 10');
    validate(schema, { n: '5' });
  });

  it('gives Nova\'s InvalidName text for the name format and lists types as jsonschema does', () => {
    const schema = { type: 'object', properties: { name: { type: 'string', format: 'name' }, n: { type: ['integer', 'string'] } } };
    assert.equal(message(() => validate(schema, { name: 'x ' })),
      "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.");
    assert.equal(message(() => validate(schema, { n: null })), "Invalid input for field/attribute n. Value: None. None is not of type 'integer', 'string'");
  });

  it('validates query strings as lists of values with the query wording', () => {
    const schema = { type: 'object', properties: { limit: multi({ type: 'string', pattern: '^[0-9]+$' }) }, additionalProperties: false };
    validateQuery(schema, { limit: ['1', '2'] });
    assert.equal(message(() => validateQuery(schema, { limit: 'x' })),
      "Invalid input for query parameters limit. Value: x. 'x' does not match '^[0-9]+$'");
    assert.equal(message(() => validateQuery(schema, { other: '1' })), "Additional properties are not allowed ('other' was unexpected)");
  });

  it('compiles Python patterns that escape characters needing no escape', () => {
    const schema = { type: 'string', pattern: '^[\\@\\.a-z]+$' };
    validate(schema, 'a@b.c');
    assert.match(message(() => validate(schema, 'A')), /does not match/);
  });
});
