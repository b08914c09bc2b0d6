import { setPasswordEmail } from './set-password-email';

describe('set-password email', () => {
  const message = setPasswordEmail({
    to: 'zoe@example.org',
    displayName: '  Zoé \n Martin ',
    link: 'https://sillage.example.org/set-password#token=abc',
    validForSeconds: 72 * 3600,
  });

  it('is written in French first, then in English, with the link in both', () => {
    const fr = message.text.indexOf('Bonjour Zoé Martin,');
    const en = message.text.indexOf('Hello Zoé Martin,');
    expect(fr).toBe(0);
    expect(en).toBeGreaterThan(fr);
    expect(message.text.slice(fr, en)).toContain('https://sillage.example.org/set-password#token=abc');
    expect(message.text.slice(en)).toContain('https://sillage.example.org/set-password#token=abc');
    expect(message.text).toContain('Il expire dans 72 heures.');
    expect(message.text).toContain('It expires in 72 hours.');
    expect(message).toMatchObject({ to: 'zoe@example.org', language: 'fr, en' });
  });

  it('keeps the display name on one line', () => {
    expect(message.text.split('\n')[0]).toBe('Bonjour Zoé Martin,');
  });
});
