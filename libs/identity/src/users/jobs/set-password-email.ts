import { MailMessage } from '@sillage/common';

/**
 * The set-password email: plain text, French first, then English. The link carries a one-time
 * token; this text is only ever handed to the mail transport, never logged.
 */
export function setPasswordEmail(input: { to: string; displayName: string; link: string; validForSeconds: number }): MailMessage {
  const hours = Math.max(1, Math.round(input.validForSeconds / 3600));
  const name = input.displayName.replace(/\s+/g, ' ').trim().slice(0, 200);
  const text = [
    `Bonjour ${name},`,
    '',
    'Un compte Sillage a été créé pour vous. Pour l’activer, choisissez votre mot de passe en ouvrant ce lien :',
    '',
    input.link,
    '',
    `Ce lien est personnel et ne sert qu’une fois. Il expire dans ${hours} heure${hours > 1 ? 's' : ''}.`,
    'Si vous n’attendiez pas ce message, ignorez-le : aucun compte ne sera activé sans vous.',
    '',
    '---',
    '',
    `Hello ${name},`,
    '',
    'A Sillage account has been created for you. To activate it, choose your password by opening this link:',
    '',
    input.link,
    '',
    `This link is personal and works only once. It expires in ${hours} hour${hours > 1 ? 's' : ''}.`,
    'If you were not expecting this message, ignore it: no account will be activated without you.',
    '',
  ].join('\n');
  return {
    to: input.to,
    subject: 'Sillage : choisissez votre mot de passe / choose your password',
    text,
    language: 'fr, en',
  };
}
