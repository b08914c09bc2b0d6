import { IsOptional, validate } from 'class-validator';
import { IS_COMMUNE_CODE, IS_SIREN, IS_SIRET, IsCommuneCode, IsSiren, IsSiret } from './index';

class CompanyDto {
  @IsSiren()
  siren: unknown;

  @IsSiret()
  siret: unknown;

  @IsCommuneCode()
  communeCode: unknown;
}

const company = (overrides: Partial<CompanyDto> = {}): CompanyDto =>
  Object.assign(new CompanyDto(), {
    siren: '732829320',
    siret: '73282932000074',
    communeCode: '75056',
    ...overrides,
  });

/** property → constraint name → message, the shape an API error body is built from. */
async function errorsOf(dto: object): Promise<Record<string, Record<string, string>>> {
  const errors = await validate(dto);
  return Object.fromEntries(errors.map((e) => [e.property, e.constraints ?? {}]));
}

describe('@IsSiren / @IsSiret / @IsCommuneCode', () => {
  it('passes a DTO with a valid SIREN, SIRET and commune code', async () => {
    expect(await errorsOf(company())).toEqual({});
  });

  it('passes La Poste establishments and Corsican communes', async () => {
    expect(await errorsOf(company({ siren: '356000000', siret: '35600000049837', communeCode: '2A004' }))).toEqual({});
  });

  it('reports each invalid field with a default message naming the property', async () => {
    const errors = await errorsOf(company({ siren: '732829321', siret: '73282932000075', communeCode: '75000' }));
    expect(errors).toEqual({
      siren: { [IS_SIREN]: 'siren must be a valid SIREN (9 digits, Luhn check)' },
      siret: { [IS_SIRET]: 'siret must be a valid SIRET (14 digits, Luhn check)' },
      communeCode: { [IS_COMMUNE_CODE]: 'communeCode must be an official INSEE commune code' },
    });
  });

  it('uses the constraint names isSiren, isSiret and isCommuneCode', () => {
    expect([IS_SIREN, IS_SIRET, IS_COMMUNE_CODE]).toEqual(['isSiren', 'isSiret', 'isCommuneCode']);
  });

  it('rejects numbers instead of coercing them (a number would drop leading zeros)', async () => {
    const errors = await errorsOf(company({ siren: 732829320, communeCode: 1001 }));
    expect(Object.keys(errors).sort()).toEqual(['communeCode', 'siren']);
  });

  it.each([[undefined], [null], ['']])('rejects a missing value (%p) unless the field is optional', async (value) => {
    const errors = await errorsOf(company({ siren: value, siret: value, communeCode: value }));
    expect(Object.keys(errors).sort()).toEqual(['communeCode', 'siren', 'siret']);
  });

  it('rejects a délégué commune code', async () => {
    expect(Object.keys(await errorsOf(company({ communeCode: '10277' })))).toEqual(['communeCode']);
  });

  it('rejects unnormalised input with spaces', async () => {
    const errors = await errorsOf(company({ siren: '732 829 320', siret: '732 829 320 00074' }));
    expect(Object.keys(errors).sort()).toEqual(['siren', 'siret']);
  });

  it('lets a caller override the message', async () => {
    class FrenchDto {
      @IsSiret({ message: 'SIRET invalide' })
      siret: unknown;
    }
    const dto = Object.assign(new FrenchDto(), { siret: '123' });
    expect(await errorsOf(dto)).toEqual({ siret: { [IS_SIRET]: 'SIRET invalide' } });
  });

  it('validates each element of an array with { each: true } and says so in the message', async () => {
    class SitesDto {
      @IsCommuneCode({ each: true })
      communeCodes: unknown;
    }
    expect(await errorsOf(Object.assign(new SitesDto(), { communeCodes: ['75101', '13055'] }))).toEqual({});
    expect(await errorsOf(Object.assign(new SitesDto(), { communeCodes: ['75101', '75000'] }))).toEqual({
      communeCodes: {
        [IS_COMMUNE_CODE]: 'each value in communeCodes must be an official INSEE commune code',
      },
    });
  });

  it('composes with @IsOptional for fields a form may leave out', async () => {
    class OptionalDto {
      @IsOptional()
      @IsSiren()
      siren?: string;
    }
    expect(await errorsOf(new OptionalDto())).toEqual({});
    expect(Object.keys(await errorsOf(Object.assign(new OptionalDto(), { siren: '1' })))).toEqual(['siren']);
  });
});
