// The main thread's copy of every open document, kept in step with the client by the client
// library's own rules (vscode-languageserver-textdocument), so that the analysis worker can be
// given exact UTF-16 offsets and be refilled if it has to be restarted. Each change gets a new
// revision number: clients may repeat a version, and a result must never be taken for a text it
// was not computed on. A document too large to parse is kept here and not sent to the worker.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { OffsetEdit } from '../core/parse/document';
import { tooLargeToParse } from '../core/parse/size';
import type { DocEvent } from './analysis-protocol';

export interface OpenDoc {
  readonly uri: string;
  /** The file's path; absent for a document that is not a file (it is analysed on its own). */
  readonly path?: string;
  text: TextDocument;
  /** The client's version of the current text. */
  version: number;
  /** The server's revision of the current text: one per change. */
  rev: number;
  /** Why the analysis worker does not have this document: too large, or it broke the analysis. */
  skipped?: { kind: 'size' | 'crash'; reason: string };
  /** Times the analysis worker stopped on this document. */
  crashes: number;
}

export class Documents {
  private readonly docs = new Map<string, OpenDoc>();
  private lastRev = 0;

  get(uri: string): OpenDoc | undefined {
    return this.docs.get(uri);
  }

  all(): IterableIterator<OpenDoc> {
    return this.docs.values();
  }

  /** Opens (or reopens) a document; returns the events for the worker. */
  open(uri: string, text: string, version: number): DocEvent[] {
    const events = this.close(uri);
    const parsed = URI.parse(uri);
    const doc: OpenDoc = {
      uri,
      ...(parsed.scheme === 'file' ? { path: parsed.fsPath } : {}),
      text: TextDocument.create(uri, 'go', version, text),
      version,
      rev: ++this.lastRev,
      crashes: 0,
    };
    this.docs.set(uri, doc);
    const large = tooLargeToParse(text);
    if (large) doc.skipped = { kind: 'size', reason: large.reason };
    else events.push(openEvent(doc));
    return events;
  }

  /**
   * Applies the client's changes in order; returns the events for the worker, or undefined when
   * the document is not open. Each change's range is first made valid (clamped into the text,
   * start before end) so that this copy, the worker's and the client's stay the same text.
   */
  change(uri: string, changes: readonly TextDocumentContentChangeEvent[], version: number): DocEvent[] | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const edits: OffsetEdit[] = [];
    for (const c of changes) {
      if (!('range' in c) || !c.range) {
        doc.text = TextDocument.update(doc.text, [{ text: c.text }], version);
        edits.push({ text: c.text });
        continue;
      }
      let start16 = doc.text.offsetAt(c.range.start);
      let end16 = doc.text.offsetAt(c.range.end);
      if (end16 < start16) [start16, end16] = [end16, start16];
      const range = { start: doc.text.positionAt(start16), end: doc.text.positionAt(end16) };
      doc.text = TextDocument.update(doc.text, [{ range, text: c.text }], version);
      edits.push({ start16, end16, text: c.text });
    }
    doc.version = version;
    doc.rev = ++this.lastRev;
    if (doc.skipped?.kind === 'crash') return [];
    const large = tooLargeToParse(doc.text.getText());
    if (large) {
      const wasSent = !doc.skipped;
      doc.skipped = { kind: 'size', reason: large.reason };
      return wasSent ? [{ op: 'close', uri }] : [];
    }
    if (doc.skipped) {
      doc.skipped = undefined;
      return [openEvent(doc)];
    }
    return [{ op: 'change', uri, edits, rev: doc.rev }];
  }

  /** Closes a document; returns the events for the worker. */
  close(uri: string): DocEvent[] {
    const doc = this.docs.get(uri);
    if (!doc) return [];
    this.docs.delete(uri);
    return doc.skipped ? [] : [{ op: 'close', uri }];
  }

  /** Stops sending a document to the worker after it broke the analysis; returns the events for the worker. */
  quarantine(uri: string, reason: string): DocEvent[] {
    const doc = this.docs.get(uri);
    if (!doc || doc.skipped) return [];
    doc.skipped = { kind: 'crash', reason };
    return [{ op: 'close', uri }];
  }

  /** The events that give a fresh worker every document it should have. */
  reopenAll(): DocEvent[] {
    const events: DocEvent[] = [];
    for (const doc of this.docs.values()) if (!doc.skipped) events.push(openEvent(doc));
    return events;
  }
}

function openEvent(doc: OpenDoc): DocEvent {
  return { op: 'open', uri: doc.uri, ...(doc.path !== undefined ? { path: doc.path } : {}), text: doc.text.getText(), rev: doc.rev };
}
