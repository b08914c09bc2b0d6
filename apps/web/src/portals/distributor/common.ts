export { parisToday } from '../../i18n';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { components } from '../../api/schema';

type Category = components['schemas']['PublicCategoryDto'];
type Movement = components['schemas']['MovementDto'];

/** A booklet serial, as printed on its cover. */
export const SERIAL = /^SLG-(\d{4})-(\d{6,9})$/;

/** `day` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Stock is "expiring soon" when its last day of distribution falls within this many days. */
export const SOON_DAYS = 30;

/**
 * The funders' names for their ids (the organisations the caller may see: its partners). An id the
 * API does not name stays absent, and the screen shows the id.
 */
export function useFunderNames(ids: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(',') : [];
    void Promise.all(
      wanted.map((id) =>
        api
          .GET('/v1/organisations/{id}', { params: { path: { id } } })
          .then(({ data }) => [id, data?.legalName] as const)
          .catch(() => [id, undefined] as const),
      ),
    ).then((pairs) => {
      if (live) setNames(Object.fromEntries(pairs.filter((p): p is readonly [string, string] => !!p[1])));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

/** Each funder's active public categories (the ones a hand-over may name). */
export function useCategories(funderIds: string[]): Record<string, Category[]> {
  const [byFunder, setByFunder] = useState<Record<string, Category[]>>({});
  const key = [...new Set(funderIds)].sort().join(',');
  useEffect(() => {
    let live = true;
    const ids = key ? key.split(',') : [];
    void Promise.all(
      ids.map((funderId) =>
        api
          .GET('/v1/public-categories', { params: { query: { funderId } } })
          .then(({ data }) => [funderId, (data?.items ?? []).filter((c) => c.active)] as const)
          .catch(() => [funderId, [] as Category[]] as const),
      ),
    ).then((pairs) => live && setByFunder(Object.fromEntries(pairs)));
    return () => {
      live = false;
    };
  }, [key]);
  return byFunder;
}

/** A serial as a comparable number (year, then number), or undefined when it is not one. */
export function serialKey(serial: string): number | undefined {
  const m = SERIAL.exec(serial);
  return m ? Number(m[1]) * 1e10 + Number(m[2]) : undefined;
}

/**
 * Where the booklets this distributor received came from (its movements' serial ranges), to tell
 * which order and funder a typed serial belongs to before sending it. At most a few pages: the API
 * checks the serial anyway, this only picks the funder's categories.
 */
export function useReceivedRanges(orgId: string): { orderId: string; funderId: string; from: number; to: number }[] {
  const [ranges, setRanges] = useState<{ orderId: string; funderId: string; from: number; to: number }[]>([]);
  useEffect(() => {
    let live = true;
    void (async () => {
      const items: Movement[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const { data } = await api.GET('/v1/allocations', { params: { query: { limit: 100, cursor } } }).catch(() => ({ data: undefined }));
        if (!data) break;
        items.push(...data.items);
        if (!data.nextCursor) break;
        cursor = data.nextCursor;
      }
      const received = items
        .filter((m) => m.toDistributorId === orgId)
        .flatMap((m) =>
          m.ranges.map((r) => ({ orderId: r.orderId, funderId: m.funderId, from: serialKey(r.fromSerial), to: serialKey(r.toSerial) })),
        )
        .filter((r): r is { orderId: string; funderId: string; from: number; to: number } => r.from !== undefined && r.to !== undefined);
      if (live) setRanges(received);
    })();
    return () => {
      live = false;
    };
  }, [orgId]);
  return ranges;
}
