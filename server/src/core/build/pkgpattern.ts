// Package patterns with `...`, matched as the go command matches them (cmd/internal/pkgpattern):
// `...` matches any string, `x/...` also matches `x`, and a `vendor` element that is not the last
// one is matched only by a pattern with `vendor` in the same place, so `./...` leaves vendored
// packages out.

const VENDOR = '\u0000';

const quoteMeta = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/** Replaces every `vendor` element but the last with VENDOR. */
function replaceVendor(x: string): string {
  if (!x.includes('vendor')) return x;
  const elem = x.split('/');
  for (let i = 0; i < elem.length - 1; i++) if (elem[i] === 'vendor') elem[i] = VENDOR;
  return elem.join('/');
}

export function matchPattern(pattern: string): (name: string) => boolean {
  if (pattern.includes(VENDOR)) return () => false;
  const dots = quoteMeta('...');
  let re = replaceVendor(quoteMeta(pattern));
  if (re.endsWith(`/${VENDOR}/${dots}`)) re = `${re.slice(0, -`/${VENDOR}/${dots}`.length)}(/vendor|/${VENDOR}/${dots})`;
  else if (re === `${VENDOR}/${dots}`) re = `(/vendor|/${VENDOR}/${dots})`;
  if (re.endsWith(`/${dots}`)) re = `${re.slice(0, -`/${dots}`.length)}(/${dots})?`;
  re = re.split(dots).join(`[^${VENDOR}]*`);
  const reg = new RegExp(`^${re}$`, 's');
  return (name) => !name.includes(VENDOR) && reg.test(replaceVendor(name));
}

/** Whether a package under `name` (or `name` itself) could match: the walk prunes the trees that cannot. */
export function treeCanMatch(pattern: string): (name: string) => boolean {
  const i = pattern.indexOf('...');
  const wildcard = i >= 0;
  const prefix = wildcard ? pattern.slice(0, i) : pattern;
  return (name) => (name.length <= prefix.length && hasPathPrefix(prefix, name)) || (wildcard && name.startsWith(prefix));
}

export function hasPathPrefix(s: string, prefix: string): boolean {
  if (s.length === prefix.length) return s === prefix;
  if (s.length < prefix.length) return false;
  if (prefix !== '' && prefix.endsWith('/')) return s.startsWith(prefix);
  return s[prefix.length] === '/' && s.startsWith(prefix);
}
