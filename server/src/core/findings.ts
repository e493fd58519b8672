// The contract every rule produces and every front end (CLI, LSP, tests) consumes (design.md §3.1).
// Ranges are UTF-8 byte offsets into the file; front ends convert them with parse/positions.ts.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface ByteRange {
  start: number;
  end: number;
}

export interface Edit {
  range: ByteRange;
  newText: string;
}

export interface Fix {
  title: string;
  isPreferred: boolean;
  /** Edits to the file the finding is in. */
  edits: Edit[];
  /** Safe to apply with every other safe fix, unattended (`source.fixAll.mapscope`). */
  safeForFixAll?: boolean;
}

export interface Related {
  /** Absent when the related place is in the finding's own file. */
  file?: string;
  range: ByteRange;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: ByteRange;
  fixes: Fix[];
  related: Related[];
  /**
   * Facts a rule states about this finding for front ends to use beyond the message (the CLI's JSON
   * `hint`, the editor's diagnostic data). map-without-hint: `hint`, the expression its fix inserts.
   */
  data?: Readonly<Record<string, string | number | boolean>>;
}
