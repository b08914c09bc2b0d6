import { useState } from 'preact/hooks';
import { api, ApiProblem, asProblem } from '../../api/client';
import type { components } from '../../api/schema';
import type { PageProps } from '../../portal/page';
import { useLocation } from '../../router';
import { Field, valueOf } from '../../ui/field';
import { ProblemNotice } from '../../ui/problem';
import { useLoad } from '../../ui/use-load';
import { usePages } from '../../ui/use-pages';
import { ConfirmAction, formatDateTime, MoreButton, rememberOrgName, ROLE_LABELS, useOrgNames } from './common';

type User = components['schemas']['UserDto'];
type Role = User['role'];
type Status = User['status'];

const ROLES: Role[] = ['admin', 'agent', 'finance', 'viewer', 'dpo'];
const STATUSES: Status[] = ['invited', 'active', 'disabled'];

const TEXT = {
  fr: {
    title: 'Utilisateurs',
    organisation: 'Structure',
    anyOrg: 'Toutes les structures',
    role: 'Rôle',
    anyRole: 'Tous les rôles',
    status: 'État',
    anyStatus: 'Tous les états',
    statuses: { invited: 'Invité (mot de passe à choisir)', active: 'Actif', disabled: 'Désactivé' } as Record<Status, string>,
    name: 'Nom',
    email: 'Adresse e-mail',
    totp: 'Double authentification',
    yes: 'Oui',
    no: 'Non',
    actions: 'Actions',
    none: 'Aucun utilisateur ne correspond.',
    invite: 'Inviter un utilisateur',
    choose: 'Choisir…',
    send: 'Inviter',
    invited: (n: string) => `${n} est invité. Un e-mail avec son propre lien lui est envoyé.`,
    linkTitle: 'Lien pour choisir le mot de passe',
    linkOnce: (until: string) =>
      `Ce lien n’est affiché qu’une fois. Transmettez-le à la personne par un canal sûr ; il est valable jusqu’au ${until} et ne sert qu’une fois.`,
    newRole: (n: string) => `Nouveau rôle de ${n}`,
    changeRole: 'Changer le rôle',
    roleChanged: (n: string, r: string) => `${n} a maintenant le rôle « ${r} ».`,
    disable: 'Désactiver',
    disableQ: (n: string) => `Désactiver ${n} ? Ses sessions sont fermées tout de suite.`,
    disabled: (n: string) => `${n} est désactivé.`,
    enable: 'Réactiver',
    enabled: (n: string) => `${n} est réactivé.`,
    link: 'Nouveau lien de mot de passe',
    created: 'Créé le',
  },
  en: {
    title: 'Users',
    organisation: 'Organisation',
    anyOrg: 'Every organisation',
    role: 'Role',
    anyRole: 'Every role',
    status: 'Status',
    anyStatus: 'Every status',
    statuses: { invited: 'Invited (password to choose)', active: 'Active', disabled: 'Disabled' } as Record<Status, string>,
    name: 'Name',
    email: 'Email address',
    totp: 'Two-factor',
    yes: 'Yes',
    no: 'No',
    actions: 'Actions',
    none: 'No user matches.',
    invite: 'Invite a user',
    choose: 'Choose…',
    send: 'Invite',
    invited: (n: string) => `${n} is invited. An email with a link of their own is on its way.`,
    linkTitle: 'Link to choose a password',
    linkOnce: (until: string) =>
      `This link is shown only once. Hand it to the person through a safe channel; it is valid until ${until} and works once.`,
    newRole: (n: string) => `New role of ${n}`,
    changeRole: 'Change role',
    roleChanged: (n: string, r: string) => `${n} now has the role “${r}”.`,
    disable: 'Disable',
    disableQ: (n: string) => `Disable ${n}? Their sessions end at once.`,
    disabled: (n: string) => `${n} is disabled.`,
    enable: 'Enable again',
    enabled: (n: string) => `${n} is enabled again.`,
    link: 'New password link',
    created: 'Created on',
  },
};

const MESSAGES = {
  EMAIL_TAKEN: { fr: 'Un compte existe déjà avec cette adresse e-mail.', en: 'An account already uses this email address.' },
  ROLE_NOT_ALLOWED: {
    fr: 'Le rôle « délégué à la protection des données » n’existe que chez l’opérateur.',
    en: 'The data protection officer role exists only in the operator organisation.',
  },
  CONFLICT: {
    fr: 'Ce compte est désactivé : réactivez-le avant de lui envoyer un lien.',
    en: 'This account is disabled: enable it before sending a link.',
  },
  FORBIDDEN: {
    fr: 'Vous ne pouvez ni changer votre propre rôle ni vous désactiver vous-même.',
    en: 'You may neither change your own role nor disable yourself.',
  },
};

/** Users of every organisation: invite, hand over a set-password link (shown once), change a role, disable. */
export function UsersPage({ lang, me }: PageProps) {
  const t = TEXT[lang];
  const { query } = useLocation();
  const [organisationId, setOrganisationId] = useState(query.get('organisationId') ?? '');
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<Status | ''>('');
  const [message, setMessage] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [link, setLink] = useState<{ url: string; expiresAt: string; who: string }>();
  const orgs = useLoad(() => api.GET('/v1/organisations', { params: { query: { limit: 100 } } }), []);
  (orgs.data?.items ?? []).forEach((o) => rememberOrgName(o.id, o.legalName));
  const list = usePages<User>(
    (cursor) =>
      api.GET('/v1/users', {
        params: { query: { cursor, organisationId: organisationId || undefined, role: role || undefined, status: status || undefined } },
      }),
    [organisationId, role, status],
  );
  const name = useOrgNames([...list.items.map((u) => u.organisationId), organisationId]);
  const admin = me.role === 'admin';

  const done = (text: string) => {
    setProblem(undefined);
    setMessage(text);
    list.reload();
  };
  const update = async (u: User, body: { role?: Role; status?: 'active' | 'disabled' }, text: string) => {
    setMessage(undefined);
    const { data, error, response } = await api.PATCH('/v1/users/{id}', { params: { path: { id: u.id } }, body });
    if (!data) return setProblem(asProblem(error, response));
    done(text);
  };
  const newLink = async (u: User) => {
    setMessage(undefined);
    const { data, error, response } = await api.POST('/v1/users/{id}/set-password-link', { params: { path: { id: u.id } } });
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setLink({ url: data.setPasswordUrl, expiresAt: data.expiresAt, who: u.displayName });
  };

  return (
    <section>
      <h1>{t.title}</h1>
      <div class="filters">
        <Field id="users-org" label={t.organisation}>
          {(a) => (
            <select {...a} value={organisationId} onChange={(e) => setOrganisationId(valueOf(e))}>
              <option value="">{t.anyOrg}</option>
              {organisationId && !orgs.data?.items.some((o) => o.id === organisationId) && (
                <option value={organisationId}>{name(organisationId)}</option>
              )}
              {(orgs.data?.items ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.legalName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="users-role" label={t.role}>
          {(a) => (
            <select {...a} value={role} onChange={(e) => setRole(valueOf(e) as Role | '')}>
              <option value="">{t.anyRole}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[lang][r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="users-status" label={t.status}>
          {(a) => (
            <select {...a} value={status} onChange={(e) => setStatus(valueOf(e) as Status | '')}>
              <option value="">{t.anyStatus}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t.statuses[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ProblemNotice lang={lang} problem={list.problem ?? problem} messages={MESSAGES} />
      {message && <p role="status">{message}</p>}
      {link && <OnceLink lang={lang} {...link} />}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.name}</th>
            <th scope="col">{t.email}</th>
            <th scope="col">{t.organisation}</th>
            <th scope="col">{t.role}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.totp}</th>
            {admin && <th scope="col">{t.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {list.items.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.displayName}</th>
              <td>{u.email}</td>
              <td>{name(u.organisationId)}</td>
              <td>{ROLE_LABELS[lang][u.role]}</td>
              <td>{t.statuses[u.status]}</td>
              <td>{u.totpEnabled ? t.yes : t.no}</td>
              {admin && <td>{u.id !== me.id && <UserActions lang={lang} user={u} onUpdate={update} onLink={newLink} />}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && list.items.length === 0 && <p>{t.none}</p>}
      <MoreButton lang={lang} hasMore={list.hasMore} loading={list.loading} more={list.more} />
      {admin && (
        <InviteUser
          lang={lang}
          organisations={orgs.data?.items ?? []}
          organisationId={organisationId}
          onInvited={(u) => {
            done(t.invited(u.displayName));
            setLink({ url: u.setPasswordUrl, expiresAt: u.setPasswordExpiresAt, who: u.displayName });
          }}
        />
      )}
    </section>
  );
}

function UserActions(props: {
  lang: PageProps['lang'];
  user: User;
  onUpdate: (u: User, body: { role?: Role; status?: 'active' | 'disabled' }, text: string) => Promise<void>;
  onLink: (u: User) => Promise<void>;
}) {
  const { lang, user: u } = props;
  const t = TEXT[lang];
  const [role, setRole] = useState<Role>(u.role);
  return (
    <div class="actions">
      <select id={`role-${u.id}`} aria-label={t.newRole(u.displayName)} value={role} onChange={(e) => setRole(valueOf(e) as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[lang][r]}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={role === u.role}
        onClick={() => void props.onUpdate(u, { role }, t.roleChanged(u.displayName, ROLE_LABELS[lang][role]))}
      >
        {t.changeRole}
      </button>
      {u.status === 'disabled' ? (
        <button type="button" onClick={() => void props.onUpdate(u, { status: 'active' }, t.enabled(u.displayName))}>
          {t.enable}
        </button>
      ) : (
        <ConfirmAction
          lang={lang}
          label={t.disable}
          question={t.disableQ(u.displayName)}
          onConfirm={() => void props.onUpdate(u, { status: 'disabled' }, t.disabled(u.displayName))}
        />
      )}
      {u.status !== 'disabled' && (
        <button type="button" onClick={() => void props.onLink(u)}>
          {t.link}
        </button>
      )}
    </div>
  );
}

/** A set-password link, shown once: selectable text the admin copies and hands over. */
function OnceLink({ lang, url, expiresAt, who }: { lang: PageProps['lang']; url: string; expiresAt: string; who: string }) {
  const t = TEXT[lang];
  return (
    <div class="once" role="region" aria-label={t.linkTitle}>
      <h2>
        {t.linkTitle} — {who}
      </h2>
      <p>{t.linkOnce(formatDateTime(lang, expiresAt))}</p>
      <p class="hash" data-testid="set-password-link">
        {url}
      </p>
    </div>
  );
}

function InviteUser(props: {
  lang: PageProps['lang'];
  organisations: { id: string; legalName: string }[];
  organisationId: string;
  onInvited: (u: components['schemas']['CreatedUserDto']) => void;
}) {
  const t = TEXT[props.lang];
  const [f, setF] = useState({ organisationId: props.organisationId, email: '', displayName: '', role: 'admin' as Role });
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const { data, error, response } = await api.POST('/v1/users', { body: { ...f, organisationId: f.organisationId || undefined } });
    setBusy(false);
    if (!data) return setProblem(asProblem(error, response));
    setProblem(undefined);
    setF({ ...f, email: '', displayName: '' });
    props.onInvited(data);
  };
  return (
    <>
      <h2>{t.invite}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <Field id="invite-org" label={t.organisation}>
          {(a) => (
            <select {...a} required value={f.organisationId} onChange={(e) => setF({ ...f, organisationId: valueOf(e) })}>
              <option value="">{t.choose}</option>
              {props.organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.legalName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="invite-name" label={t.name}>
          {(a) => <input {...a} required value={f.displayName} onInput={(e) => setF({ ...f, displayName: valueOf(e) })} />}
        </Field>
        <Field id="invite-email" label={t.email}>
          {(a) => <input {...a} type="email" required value={f.email} onInput={(e) => setF({ ...f, email: valueOf(e) })} />}
        </Field>
        <Field id="invite-role" label={t.role}>
          {(a) => (
            <select {...a} value={f.role} onChange={(e) => setF({ ...f, role: valueOf(e) as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[props.lang][r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ProblemNotice lang={props.lang} problem={problem} messages={MESSAGES} />
        <button type="submit" class="primary" disabled={busy}>
          {t.send}
        </button>
      </form>
    </>
  );
}
