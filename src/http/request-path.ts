/**
 * @module The path a request's URL names, as the router and the world middleware both read it: the query cut off and
 * the doubled leading slash gitbeaker sends for a base URL that ends in `/` collapsed.
 */

/** Where the path starts in an absolute URL (-1 for a URL with none). */
export function pathStart(url: string): number {
  return url.indexOf('/', url.indexOf('://') + 3)
}

/** A path with its leading slashes collapsed to one (a path with one is left as it is, without a regex). */
export function singleLeadingSlash(path: string): string {
  return path.charCodeAt(1) === 47 ? path.replace(/^\/{2,}/, '/') : path
}

/** The URL's path from `start` (its {@link pathStart}), without the query, leading slashes collapsed. */
export function requestPath(url: string, start = pathStart(url)): string {
  if (start === -1) return '/'
  const end = url.indexOf('?', start)
  return singleLeadingSlash(end === -1 ? url.slice(start) : url.slice(start, end))
}
