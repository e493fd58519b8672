// The editor's declaration summaries across a document's versions. Kept apart from the summariser:
// this is how the editor reuses summaries, not what a summary holds, so a change here leaves the
// summary fingerprint (the disk cache's key, the bundled snapshot's stamp) as it is.
import type { ByteRange } from '../findings';
import { editWindow, startAfter, startBefore, type EditWindow } from '../parse/edit-window';
import { summarizeDecl, type DeclSummary, type SourceUnit, type TopDecl } from './summary';

/**
 * The declaration summaries of one open document, kept across its versions: a declaration outside
 * the span an edit changed is not read again, only moved (its ranges shifted to where it now
 * starts). It is found by its place, not its text: hashing every declaration's text cost a
 * keystroke more than the one declaration it touched. Inside the changed span a declaration whose
 * text was there before (a block moved, an undo) is found by its text.
 */
export class SummaryCache {
  /** The text the entries were made from, and the entries by UTF-16 start. */
  private last: { text: string; byStart: Map<number, CachedDecl> } = { text: '', byStart: new Map() };
  private current?: { unit: SourceUnit; byStart: Map<number, CachedDecl>; window: EditWindow; byText?: Map<string, CachedDecl> };

  get(decl: TopDecl, unit: SourceUnit): DeclSummary {
    if (this.current?.unit !== unit) {
      if (this.current) this.last = { text: this.current.unit.text, byStart: this.current.byStart };
      this.current = { unit, byStart: new Map(), window: editWindow(this.last.text, unit.text) };
    }
    const now = this.current;
    const known = now.byStart.get(decl.start);
    if (known && known.type === decl.type && known.end === decl.end) return known.summary;
    const startByte = unit.lines.byteOffset(decl.start);
    // Outside the window the two texts are the same: the same type and length mean the same text.
    const before = startBefore(now.window, decl.start, decl.end);
    let old = before === undefined ? undefined : this.last.byStart.get(before);
    if (old && (old.type !== decl.type || old.end - old.start !== decl.end - decl.start)) old = undefined;
    if (!old && before === undefined) {
      if (!now.byText) {
        // The declarations the edit touched before, by text: few, unless the edit replaced the file.
        now.byText = new Map();
        for (const e of this.last.byStart.values()) if (startAfter(now.window, e.start, e.end) === undefined) now.byText.set(`${e.type}\u0000${this.last.text.slice(e.start, e.end)}`, e);
      }
      old = now.byText.get(`${decl.type}\u0000${decl.text}`);
    }
    // Before the edit, a declaration is where it was: its entry serves as it is.
    if (old && old.start === decl.start && old.startByte === startByte) {
      now.byStart.set(decl.start, old);
      return old.summary;
    }
    const summary = !old ? summarizeDecl(decl, unit) : old.startByte === startByte || old.placeless ? old.summary : shiftDecl(old.summary, startByte - old.startByte);
    now.byStart.set(decl.start, { type: decl.type, start: decl.start, end: decl.end, startByte, summary, placeless: old ? old.placeless : isPlaceless(summary) });
    return summary;
  }
}

interface CachedDecl {
  type: string;
  /** UTF-16 offsets. */
  start: number;
  end: number;
  startByte: number;
  summary: DeclSummary;
  /** Its summary holds no range: the same object serves at any place. */
  placeless: boolean;
}

/** Most declarations (functions, comments, methods that assign no receiver field) hold no ranges. */
function isPlaceless(d: DeclSummary): boolean {
  return d.types.length === 0 && d.vars.length === 0 && d.methods.every((m) => m.info.assignedFields.length === 0);
}

function shiftRange(r: ByteRange, by: number): ByteRange {
  return { start: r.start + by, end: r.end + by };
}

/** The same declaration's summary, moved by `by` bytes. Summaries are never mutated, so parts without ranges are shared. */
function shiftDecl(d: DeclSummary, by: number): DeclSummary {
  if (isPlaceless(d)) return d;
  return {
    ...(d.packageName !== undefined ? { packageName: d.packageName } : {}),
    types: d.types.map((t) => ({ ...t, range: shiftRange(t.range, by), fields: t.fields.map((f) => ({ ...f, range: shiftRange(f.range, by) })) })),
    methods: d.methods.map((m) => ({
      typeName: m.typeName,
      info: { ...m.info, assignedFields: m.info.assignedFields.map((a) => ({ ...a, range: shiftRange(a.range, by) })) },
    })),
    vars: d.vars.map((v) => ({ ...v, range: shiftRange(v.range, by), specRange: shiftRange(v.specRange, by) })),
    ...(d.imports ? { imports: d.imports } : {}),
    ...(d.funcs ? { funcs: d.funcs } : {}),
    ...(d.consts ? { consts: d.consts } : {}),
    assigned: d.assigned,
  };
}
