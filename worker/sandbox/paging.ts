/** Xero paging: `page=N` (1-based), `pageSize` default 100, at most 1000. */
export interface Page<T> {
  paged: boolean;
  items: T[];
  pagination: { page: number; pageSize: number; pageCount: number; itemCount: number };
}

export function paginate<T>(list: T[], q: URLSearchParams): Page<T> {
  const pageParam = q.get("page");
  const pageSize = Math.min(1000, Math.max(1, Number(q.get("pageSize") ?? 100) || 100));
  const itemCount = list.length;
  const pageCount = Math.ceil(itemCount / pageSize);
  if (pageParam === null)
    return { paged: false, items: list, pagination: { page: 1, pageSize, pageCount, itemCount } };
  const page = Math.max(1, Number(pageParam) || 1);
  return {
    paged: true,
    items: list.slice((page - 1) * pageSize, page * pageSize),
    pagination: { page, pageSize, pageCount, itemCount },
  };
}
