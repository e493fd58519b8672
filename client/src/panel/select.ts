// Which map site the cursor is on: the one under it (the innermost), else the nearest in the same
// function, else the nearest by lines. Pure, for the panel host (the server's siteAt does the same
// on byte offsets for mapscope/predict).
import type { MapSiteInfo, Position, Range } from '../../../common/protocol';

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
const contains = (r: Range, p: Position) => !before(p, r.start) && !before(r.end, p);

/** Lines between a position and a range (0 inside), then characters as a tie-break. */
function distance(r: Range, p: Position): number {
  if (contains(r, p)) return 0;
  const edge = before(p, r.start) ? r.start : r.end;
  return Math.abs(edge.line - p.line) * 10_000 + Math.abs(edge.character - p.character);
}

export function siteNear(sites: readonly MapSiteInfo[], p: Position): MapSiteInfo | undefined {
  const under = sites.filter((s) => contains(s.range, p));
  if (under.length > 0) {
    const size = (s: MapSiteInfo) => (s.range.end.line - s.range.start.line) * 10_000 + s.range.end.character - s.range.start.character;
    return under.reduce((a, b) => (size(b) < size(a) ? b : a));
  }
  const inFunction = sites.filter((s) => s.functionRange && contains(s.functionRange, p));
  let best: MapSiteInfo | undefined;
  for (const s of inFunction.length > 0 ? inFunction : sites) if (!best || distance(s.range, p) < distance(best.range, p)) best = s;
  return best;
}
