import type { ComponentType } from 'preact';
import type { components } from '../api/schema';
import type { Lang } from '../i18n';
import type { Me } from '../session';

export type OrganisationKind = components['schemas']['MeOrganisationDto']['kinds'][number];
export type Role = Me['role'];

/** What every portal screen receives. */
export interface PageProps {
  lang: Lang;
  me: Me;
  /** The path's `:name` parts. */
  params: Record<string, string>;
}

/**
 * A screen of a portal. Its code is loaded when first opened (`load`), so the scanner a site agent
 * opens on a phone never downloads the funder's dashboard.
 */
export interface PortalPage {
  /** Under /app, e.g. `/app/orders/:id`. */
  path: string;
  title: Record<Lang, string>;
  /** The organisation kinds whose users see it. */
  kinds: readonly OrganisationKind[];
  /** The roles that see it (every role when absent). */
  roles?: readonly Role[];
  /** In the navigation bar (false for a detail screen reached from a list). */
  nav?: boolean;
  load: () => Promise<ComponentType<PageProps>>;
}

/** Whether a signed-in user may open the page (the API checks again: this only shapes the menus). */
export function pageAllows(page: PortalPage, me: Me): boolean {
  return page.kinds.some((k) => me.organisation.kinds.includes(k)) && (!page.roles || page.roles.includes(me.role));
}
