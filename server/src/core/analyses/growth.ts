// The engine's view of a file's map types: the layout of a key or value type as written here (the
// package's own named types resolved), and what filling a map of those types to a size costs
// without a hint and with one, for the Go toolchain in use. Rules phrase these numbers and the panel
// draws them; neither computes them. A type the engine's parser cannot read is "no layout" (the
// reason is kept); any other engine failure is a bug and propagates to the pipeline, which reports
// it with the file and the rule.
import type { FileAnalysis } from '../analysis/analysis';
import { goExperiments } from '../go-version';
import { GoTypeSyntaxError, layoutOf, parseGoType, predict, type Layout, type Prediction, type TypeResolver } from '../engine';

export interface TypeLayout {
  /** The type as the engine read it (comments dropped, lines joined). */
  text: string;
  layout?: Layout;
  /** Why there is no layout: the parser's message. */
  error?: string;
}

export interface FillCost {
  /** Growth events (doublings, splits) filling to `entries` without a hint. */
  grows: number;
  bytes: number;
  /** The same with `make(…, entries)`. */
  hintGrows: number;
  hintBytes: number;
  /** Unknown types and other guesses behind the numbers. */
  assumptions: string[];
}

export interface Growth {
  layout(typeText: string): TypeLayout;
  /** The cost of filling a map of these key and value types to `entries`; undefined when a type has no layout. */
  fillCost(keyText: string, valueText: string, entries: number): FillCost | undefined;
}

/** Declarations span lines; the engine's type parser wants `;` between fields, and no comments. */
export function typeText(text: string): string {
  return text
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s*\n\s*/g, '; ')
    .replace(/([{(\[]);\s*/g, '$1')
    .replace(/;\s*([})\]])/g, '$1')
    .trim();
}

export const growth: FileAnalysis<Growth> = {
  id: 'growth',
  kind: 'file',
  requires: [],
  run(pass) {
    const goMinor = pass.go.minor;
    const goexperiment = goExperiments(pass.go).join(',') || undefined;
    const resolver: TypeResolver = (ref) => {
      if (ref.pkg !== undefined) return undefined;
      const t = pass.pkg.types.get(ref.name);
      if (!t || t.generic || !t.typeText) return undefined;
      try {
        return parseGoType(typeText(t.typeText));
      } catch (e) {
        if (e instanceof GoTypeSyntaxError) return undefined;
        throw e;
      }
    };
    const layouts = new Map<string, TypeLayout>();
    const costs = new Map<string, FillCost | undefined>();
    const layout = (raw: string): TypeLayout => {
      const text = typeText(raw);
      let t = layouts.get(text);
      if (!t) {
        try {
          t = { text, layout: layoutOf(parseGoType(text), resolver, { goMinor }) };
        } catch (e) {
          if (!(e instanceof GoTypeSyntaxError)) throw e;
          t = { text, error: e.message };
        }
        layouts.set(text, t);
      }
      return t;
    };
    return {
      layout,
      fillCost(keyText, valueText, entries) {
        const id = `${keyText}\u0000${valueText}\u0000${entries}`;
        if (costs.has(id)) return costs.get(id);
        const key = layout(keyText).layout;
        const value = layout(valueText).layout;
        let cost: FillCost | undefined;
        if (key && value) {
          const go = `1.${goMinor}`;
          const without = predict(key, value, { entries, hint: 0, go, goexperiment });
          const withHint = predict(key, value, { entries, hint: entries, go, goexperiment });
          cost = { grows: growths(without), bytes: without.totalBytes, hintGrows: growths(withHint), hintBytes: withHint.totalBytes, assumptions: without.assumptions };
        }
        costs.set(id, cost);
        return cost;
      },
    };
  },
};

function growths(p: Prediction): number {
  return p.events.filter((e) => e.kind === 'grow' || e.kind === 'split').length;
}
