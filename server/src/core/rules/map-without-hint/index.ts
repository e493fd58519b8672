// map-without-hint: a map made without a capacity hint and then filled, one insert per iteration,
// by a loop whose trip count the code already states. The fills analysis proves the fill and its
// count; the growth analysis prices it on the Go toolchain in use; this rule decides whether it is
// worth saying (not in tests, not for 8 entries or fewer) and says it: one sentence on the map,
// the reasons and the numbers as related information, and the fix that inserts the hint.
import type { Pass } from '../../analysis/pass';
import { fills, hintFix, type Fill } from '../../analyses/fills';
import { growth, type FillCost } from '../../analyses/growth';
import { SOURCE_MAX_ENTRIES } from '../../engine';
import type { Finding, Fix, Related } from '../../findings';
import { formatGoVersion, mapImplementation } from '../../go-version';
import { byteRange } from '../../index/summary';
import type { Rule } from '../rule';
import { formatBytes, formatCount } from '../../../../../common/format';
import { docs } from './docs';

const ID = 'map-without-hint';


export const mapWithoutHint: Rule = {
  id: ID,
  severity: 'information',
  docs,
  requires: [fills, growth],
  check(pass) {
    // Tests and benchmarks build maps without hints on purpose (to exercise growth) and their speed
    // rarely matters; like prealloc, the rule leaves them alone.
    if (pass.unit.path.endsWith('_test.go')) return [];
    const findings: Finding[] = [];
    for (const fill of pass.result(fills).values()) {
      if (!pass.inScope(fill.creation.fn!)) continue;
      if (!fill.worthAHint) continue;
      findings.push(report(pass, fill));
    }
    return findings.sort((a, b) => a.range.start - b.range.start);
  },
};

function report(pass: Pass, fill: Fill): Finding {
  const lines = pass.unit.lines;
  const { creation: c, count, name } = fill;
  const hint = count.expr;
  const message = `map \`${name}\` is filled with ${fill.exact ? '' : 'up to '}\`${hint}\` entries but made without a capacity hint`;
  const each = fill.perIteration === 1 ? 'once per iteration' : `with up to ${fill.perIteration} entries per iteration`;
  const related: Related[] = [{ range: byteRange(fill.insert, lines), message: `filled here, ${each}` }];
  const bounds: string[] = [];
  if (!fill.distinctKeys) bounds.push(fill.loops.length > 1 ? 'keys may repeat across the nested loops' : 'keys may repeat');
  if (!count.exact) bounds.push('`len` of a string counts bytes, the loop runes');
  if (fill.early) bounds.push('the loop may exit early');
  if (fill.otherWrites > 0) bounds.push(`${fill.otherWrites === 1 ? 'the other write' : `the ${fill.otherWrites} other writes`} may reuse keys or not run`);
  const loopHead = byteRange(fill.loops[0], lines);
  const head = { start: loopHead.start, end: loopHead.start + 3 };
  if (bounds.length > 0) related.push({ range: head, message: `\`${hint}\` is an upper bound: ${bounds.join('; ')}` });
  related.push({ range: byteRange(c.node, lines), message: costLine(pass, fill) });
  if (fill.copyOf && pass.language.minor >= 21) {
    related.push({ range: head, message: `the loop only copies \`${fill.copyOf}\`: \`maps.Copy(${name}, ${fill.copyOf})\` does the same (gopls' mapsloop)` });
  }
  const fixes: Fix[] = [];
  const fix = fill.fixable ? hintFix(pass, c, hint) : undefined;
  if (fill.unfixable) related.push({ range: head, message: `no fix: ${fill.unfixable}` });
  if (fix) fixes.push({ title: fix.title, isPreferred: fill.exact, edits: [fix.edit], ...(fill.exact ? { safeForFixAll: true } : {}) });
  return {
    rule: ID,
    severity: 'information',
    message,
    range: byteRange(c.node, lines),
    fixes,
    related,
    ...(fix ? { data: { hint } } : {}),
  };
}

/** What filling the map costs with and without the hint, on the Go toolchain in use, as one line. */
function costLine(pass: Pass, fill: Fill): string {
  const { creation: c, count } = fill;
  const assumed = count.constant === undefined;
  const entries = count.constant ?? pass.defaultMapSize;
  const key = c.mapType.childForFieldName('key')?.text ?? '';
  const value = c.mapType.childForFieldName('value')?.text ?? '';
  const go = `Go ${formatGoVersion(pass.go)} (${mapImplementation(pass.go)} map)`;
  // A loop of more entries than the engine simulates from the source: the panel shows the first ones.
  if (entries > SOURCE_MAX_ENTRIES) return `${go}: no byte estimate for more than ${formatCount(SOURCE_MAX_ENTRIES)} entries (the growth panel and mapscope predict FILE:LINE show the first ones)`;
  const cost: FillCost | undefined = pass.result(growth).fillCost(key, value, entries);
  if (!cost) return `${go}: no byte estimate, the engine cannot lay out ${c.mapType.text.includes('\n') ? 'the key or value type' : c.mapType.text}`;
  const at = assumed ? `at ${entries} entries (mapscope.defaultMapSize)` : `filling ${entries} entries`;
  const grows = cost.grows === 1 ? 'once' : `${cost.grows} times`;
  const withHint = cost.hintGrows === 0 ? 'once' : `and still grows it ${cost.hintGrows === 1 ? 'once' : `${cost.hintGrows} times`}`;
  const assumptions = cost.assumptions.length > 0 ? ` (assuming ${cost.assumptions.join('; ')})` : '';
  return `${go}, ${at}: grows it ${grows} and allocates ${formatBytes(cost.bytes)}; with the hint it allocates ${formatBytes(cost.hintBytes)} ${withHint}${assumptions}`;
}
