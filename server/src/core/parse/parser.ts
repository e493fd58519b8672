// Loads web-tree-sitter and the pinned Go grammar. The wasm paths are passed in so that core/ never
// guesses where it runs from: the bundles in dist/, the tests and the bench all know their own paths.
import { Language, Parser, type Tree } from 'web-tree-sitter';

export interface WasmPaths {
  /** web-tree-sitter's runtime (`web-tree-sitter.wasm`). */
  runtime: string;
  /** The tree-sitter-go grammar (`tree-sitter-go.wasm`). */
  go: string;
}

export class GoParser {
  private constructor(
    private readonly parser: Parser,
    readonly language: Language,
  ) {}

  static async load(paths: WasmPaths): Promise<GoParser> {
    await Parser.init({ locateFile: () => paths.runtime });
    const language = await Language.load(paths.go);
    const parser = new Parser();
    parser.setLanguage(language);
    return new GoParser(parser, language);
  }

  /** Parses `text`; with `old` (already edited to match `text`) tree-sitter reuses unchanged subtrees. */
  parse(text: string, old?: Tree): Tree {
    const tree = this.parser.parse(text, old ?? null);
    // parse() only returns null when cancelled or without a language; neither can happen here.
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}
