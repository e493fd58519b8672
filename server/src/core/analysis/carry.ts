// Results that outlive a parse. A keystroke changes one function, yet some facts of a file are
// gathered from all of them (which methods of a type hold its mutex around a map field: every
// method is evidence for every other). A function analysis that returns plain data (no tree nodes)
// worked out from the function's text alone may say so (`carried`), and the editor keeps a Carry
// per open document: the next parse then runs it only for functions whose text it has not seen.
// The CLI parses each file once and keeps none.

export class Carry {
  private generation = 0;
  private readonly byAnalysis = new Map<string, Map<string, { value: unknown; used: number }>>();

  /**
   * An analysis of the document starts. What the last few did not use is dropped: a function
   * edited away, or an old text of one being typed in.
   */
  begin(): void {
    this.generation++;
    const oldest = this.generation - KEPT_GENERATIONS;
    for (const entries of this.byAnalysis.values()) for (const [text, e] of entries) if (e.used < oldest) entries.delete(text);
  }

  /** The value `analysis` gave for a function with this text, computed now if it is not kept. */
  get<T>(analysis: string, text: string, compute: () => T): T {
    let entries = this.byAnalysis.get(analysis);
    if (!entries) this.byAnalysis.set(analysis, (entries = new Map()));
    const hit = entries.get(text);
    if (hit) {
      hit.used = this.generation;
      return hit.value as T;
    }
    const value = compute();
    entries.set(text, { value, used: this.generation });
    return value;
  }

  /** The value kept for this text, if any, without computing it (nor counting it as used). */
  peek<T>(analysis: string, text: string): { value: T } | undefined {
    const hit = this.byAnalysis.get(analysis)?.get(text);
    return hit ? { value: hit.value as T } : undefined;
  }

  /** How many values it keeps, for tests. */
  get size(): number {
    let n = 0;
    for (const entries of this.byAnalysis.values()) n += entries.size;
    return n;
  }
}

/**
 * Analyses an entry may go unused before it is dropped. The incremental path may run the rules
 * twice for one version (a scoped run whose result it cannot merge, then the whole file).
 */
const KEPT_GENERATIONS = 3;
