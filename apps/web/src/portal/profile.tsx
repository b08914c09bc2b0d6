import { useState } from 'preact/hooks';
import { loadMe } from '../session';
import { TotpEnrolment } from '../ui/totp-enrolment';
import type { PageProps } from './page';

const TEXT = {
  fr: {
    title: 'Mon profil',
    name: 'Nom',
    email: 'Adresse e-mail',
    organisation: 'Structure',
    role: 'Rôle',
    roles: {
      admin: 'Administrateur',
      agent: 'Agent',
      finance: 'Finances',
      viewer: 'Lecture seule',
      dpo: 'Délégué à la protection des données',
    },
    kinds: { operator: 'opérateur', funder: 'financeur', distributor: 'distributeur', site: 'lieu labellisé' },
    totp: 'Double authentification',
    totpOn: 'Activée.',
    totpOff: 'Désactivée.',
    enable: 'Activer la double authentification',
    enabled: 'La double authentification est activée : elle vous sera demandée à chaque connexion.',
  },
  en: {
    title: 'My profile',
    name: 'Name',
    email: 'Email address',
    organisation: 'Organisation',
    role: 'Role',
    roles: { admin: 'Administrator', agent: 'Agent', finance: 'Finance', viewer: 'Read only', dpo: 'Data protection officer' },
    kinds: { operator: 'operator', funder: 'funder', distributor: 'distributor', site: 'labelled site' },
    totp: 'Two-factor authentication',
    totpOn: 'On.',
    totpOff: 'Off.',
    enable: 'Turn on two-factor authentication',
    enabled: 'Two-factor authentication is on: it will be asked at every sign-in.',
  },
};

/** Who I am, in which organisation, with which role; turning on a second factor. */
export function ProfilePage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const [enrolling, setEnrolling] = useState(false);
  const [enabled, setEnabled] = useState(false);
  return (
    <section>
      <h1>{t.title}</h1>
      <dl class="facts">
        <dt>{t.name}</dt>
        <dd>{me.displayName}</dd>
        <dt>{t.email}</dt>
        <dd>{me.email}</dd>
        <dt>{t.organisation}</dt>
        <dd>
          {me.organisation.legalName} ({me.organisation.kinds.map((k) => t.kinds[k]).join(', ')})
        </dd>
        <dt>{t.role}</dt>
        <dd>{t.roles[me.role]}</dd>
        <dt>{t.totp}</dt>
        <dd>{me.totpEnabled || enabled ? t.totpOn : t.totpOff}</dd>
      </dl>
      {enabled && <p role="status">{t.enabled}</p>}
      {!me.totpEnabled &&
        !enabled &&
        (enrolling ? (
          <TotpEnrolment
            lang={lang}
            onDone={() => {
              setEnabled(true);
              setEnrolling(false);
              void loadMe();
            }}
          />
        ) : (
          <button type="button" onClick={() => setEnrolling(true)}>
            {t.enable}
          </button>
        ))}
    </section>
  );
}
