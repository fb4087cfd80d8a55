import { q1 } from '../../format';

/** `self` and `bookmark` links of one resource, as Nova's ViewBuilder._get_links builds them. */
export function resourceLinks(baseUrl: string, collection: string, id: string): Array<{ rel: string; href: string }> {
  const bookmark = baseUrl.replace(/\/v2(\.1)?$/, '');
  return [
    { rel: 'self', href: `${baseUrl}/${collection}/${id}` },
    { rel: 'bookmark', href: `${bookmark}/${collection}/${id}` },
  ];
}

/**
 * The `next` link of a paged list (Nova's _get_collection_links): present when the page is full,
 * i.e. it holds min(limit, max_limit) items; it repeats the request's parameters with `marker` set
 * to the last item's id.
 */
export function collectionLinks(
  baseUrl: string, collection: string, query: Record<string, string | string[]>, count: number, lastId: string | undefined,
  maxLimit: number,
): Array<{ rel: string; href: string }> {
  const asked = Number(q1(query.limit) ?? maxLimit);
  const pageSize = Math.min(Number.isFinite(asked) ? asked : maxLimit, maxLimit);
  if (!pageSize || pageSize !== count || lastId === undefined) return [];
  const params: Record<string, string> = {};
  for (const k of Object.keys(query).sort()) params[k] = q1(query[k]) ?? '';
  params.marker = lastId;
  return [{ rel: 'next', href: `${baseUrl}/${collection}?${new URLSearchParams(params).toString()}` }];
}
