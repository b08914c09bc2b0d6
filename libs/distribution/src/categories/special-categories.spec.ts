import { specialCategoryIn } from './special-categories';

describe('specialCategoryIn', () => {
  it.each([
    'Personnes handicapées',
    'Malades chroniques',
    'Bénéficiaires AAH',
    'Travailleurs RQTH',
    'Personnes malvoyantes',
    'Personnes sourdes ou malentendantes',
    'Femmes enceintes',
    'Personnes séropositives',
    'Disabled people',
    'Suivi psychiatrique',
    'Communauté religieuse',
  ])('refuses “%s”', (label) => {
    expect(specialCategoryIn('cat', label)).toBeDefined();
  });

  it.each([
    'Demandeur d’emploi',
    'Senior',
    'Quartier prioritaire de la politique de la ville',
    'Illettrisme',
    'Jeunes de 16 à 25 ans',
    'Allocataires du RSA',
    'Transport solidaire',
    'Union locale des associations',
  ])('accepts “%s”', (label) => {
    expect(specialCategoryIn('cat', label)).toBeUndefined();
  });

  it('reads the code too, without accents or case', () => {
    expect(specialCategoryIn('sante_mentale', 'Public A')).toBe('sante');
    expect(specialCategoryIn('x', 'SANTÉ')).toBe('sante');
  });
});
