import { assertPrintableHeader, formatEuros, formatFrenchDate, passPageLink } from './print-format';

describe('formatEuros', () => {
  it('writes cents French-style with no-break spaces', () => {
    expect(formatEuros(1000)).toBe('10,00\u00a0€');
    expect(formatEuros(5)).toBe('0,05\u00a0€');
    expect(formatEuros(123456789)).toBe('1\u00a0234\u00a0567,89\u00a0€');
    expect(formatEuros(-250)).toBe('-2,50\u00a0€');
  });

  it('refuses non-integer amounts', () => {
    expect(() => formatEuros(10.5)).toThrow(RangeError);
  });
});

describe('formatFrenchDate', () => {
  it('writes DD/MM/YYYY', () => {
    expect(formatFrenchDate('2027-03-09')).toBe('09/03/2027');
  });

  it('refuses a malformed or impossible date', () => {
    expect(() => formatFrenchDate('2027-02-30')).toThrow(RangeError);
    expect(() => formatFrenchDate('09/03/2027')).toThrow(RangeError);
  });
});

describe('passPageLink', () => {
  it('puts the token after #, where browsers never send it to a server', () => {
    expect(passPageLink('https://sillage.example/p', 'AbC_-9')).toBe('https://sillage.example/p#AbC_-9');
  });

  it('refuses a base URL that already has a fragment and a token that would need encoding', () => {
    expect(() => passPageLink('https://sillage.example/p#x', 'abc')).toThrow(RangeError);
    expect(() => passPageLink('sillage.example/p', 'abc')).toThrow(RangeError);
    expect(() => passPageLink('https://sillage.example/p', 'a b')).toThrow(RangeError);
    expect(() => passPageLink('https://sillage.example/p', '')).toThrow(RangeError);
  });
});

describe('assertPrintableHeader', () => {
  const header = {
    orderReference: 'BC-1',
    funderName: 'CAF',
    faceValueCents: 1000,
    validUntil: '2027-12-31',
    passBaseUrl: 'https://s.example/p',
  };

  it('accepts a complete header and refuses a zero face value, a bad date or a blank funder', () => {
    expect(() => assertPrintableHeader(header)).not.toThrow();
    expect(() => assertPrintableHeader({ ...header, faceValueCents: 0 })).toThrow(RangeError);
    expect(() => assertPrintableHeader({ ...header, validUntil: '2027-13-01' })).toThrow(RangeError);
    expect(() => assertPrintableHeader({ ...header, funderName: ' \n' })).toThrow(RangeError);
  });
});
