// Whether a map is filled by counting or aggregating in a loop (`m[k]++`, `m[k] += v`,
// `m[k] = append(m[k], v)`): its size is then the number of distinct keys, which the code does not
// state, and map-without-hint leaves such loops alone on purpose. The growth panel says so rather
// than that no loop with a known count fills the map.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from './facts/file-facts';
import { mentionsWord } from './facts/words';

/** Whether `name`, a map made at UTF-16 offset `after` in `fn`, is counted into by a loop there. */
export function countedInLoop(facts: FileFacts, fn: Node | undefined, name: string | undefined, after: number): boolean {
  if (!fn || !name) return false;
  for (const w of facts.writesIn(fn)) {
    if (w.index.startIndex < after || w.index.childForFieldName('operand')?.text !== name || !inLoop(w.index, fn)) continue;
    const parent = w.index.parent!;
    if (parent.type === 'inc_statement' || parent.type === 'dec_statement') return true;
    const stmt = parent.parent!;
    if (stmt.childForFieldName('operator')?.type !== '=' || mentionsWord(stmt.childForFieldName('right')?.text ?? '', name)) return true;
  }
  return false;
}

function inLoop(node: Node, fn: Node): boolean {
  for (let p = node.parent; p && !p.equals(fn); p = p.parent) if (p.type === 'for_statement') return true;
  return false;
}
