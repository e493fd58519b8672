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
    // Given a string, web-tree-sitter copies 10 kB from wherever the lexer asks: a reparse after a
    // keystroke asks at a dozen places and reads a few hundred characters at each. Short chunks
    // copy what it reads (a fifth less reparse time on net/http/server.go). A whole parse reads
    // everything, in the fewest calls.
    const tree = old ? this.parser.parse((index) => text.slice(index, index + CHUNK), old) : this.parser.parse(text);
    // parse() only returns null when cancelled or without a language; neither can happen here.
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

/**
 * UTF-16 units handed to the parser per call when it reparses. A piece may end between the halves
 * of a surrogate pair: the lexer reads that character again from the next piece (the document
 * tests compare such reparses with fresh parses).
 */
const CHUNK = 512;
