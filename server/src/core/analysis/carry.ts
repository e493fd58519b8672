// Results that outlive a parse. A keystroke changes one function, yet some facts of a file are
// gathered from all of them (which methods of a type hold its mutex around a map field: every
// method is evidence for every other). A function analysis that returns plain data (no tree nodes)
// worked out from the function's text alone may say so (`carried`), and the editor keeps a Carry
// per open document: the next parse then runs it only for functions whose text it has not seen.
// The CLI parses each file once and keeps none.

import { editWindow, startBefore, type EditWindow } from '../parse/edit-window';

export class Carry {
  private generation = 0;
  private readonly byAnalysis = new Map<string, Map<string, Entry>>();
  /**
   * The entries served for the latest file text by where their function starts, and those of the
   * text before it: a function outside the span an edit changed is found by its place, without
   * hashing its text (a keystroke asks for every function of the file).
   */
  private latest: Placed = { text: '', byStart: new Map() };
  private previous: Placed = { text: '', byStart: new Map() };
  private window: EditWindow = { start: 0, oldEnd: 0, newEnd: 0 };

  /**
   * An analysis of the document starts. What the last few did not use is dropped: a function
   * edited away, or an old text of one being typed in.
   */
  begin(): void {
    this.generation++;
    const oldest = this.generation - KEPT_GENERATIONS;
    for (const entries of this.byAnalysis.values()) for (const [text, e] of entries) if (e.used < oldest) entries.delete(text);
  }

  /**
   * The value `analysis` gave for the function at [start, end) of the file's text `file` (its text
   * is `text()`), computed now if it is not kept.
   */
  get<T>(analysis: string, file: string, start: number, end: number, text: () => string, compute: () => T): T {
    if (file !== this.latest.text) this.advance(file);
    let placed = this.latest.byStart.get(analysis);
    if (!placed) this.latest.byStart.set(analysis, (placed = new Map()));
    const served = placed.get(start);
    if (served && served.length === end - start) {
      // Served for this text already: passes ask about every function on each keystroke.
      served.used = this.generation;
      return served.value as T;
    }
    // Outside the changed span the two texts are the same: the same place and length mean the same text.
    const before = startBefore(this.window, start, end);
    let hit = before === undefined ? undefined : this.previous.byStart.get(analysis)?.get(before);
    if (hit && hit.length !== end - start) hit = undefined;
    let entries = this.byAnalysis.get(analysis);
    if (!entries) this.byAnalysis.set(analysis, (entries = new Map()));
    if (!hit) {
      const t = text();
      hit = entries.get(t);
      if (!hit) entries.set(t, (hit = { value: compute(), used: this.generation, length: t.length }));
    }
    hit.used = this.generation;
    placed.set(start, hit);
    return hit.value as T;
  }

  /** A new text of the file: the latest becomes the previous, and the span between them is found. */
  private advance(file: string): void {
    this.window = editWindow(this.latest.text, file);
    this.previous = this.latest;
    this.latest = { text: file, byStart: new Map() };
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

interface Entry {
  value: unknown;
  used: number;
  /** The function text's length. */
  length: number;
}

interface Placed {
  text: string;
  /** By analysis, then by the function's UTF-16 start in `text`. */
  byStart: Map<string, Map<number, Entry>>;
}
