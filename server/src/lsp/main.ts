// The MapScope language server. VS Code starts it over IPC; other editors run
// `node dist/server.js --stdio`. vscode-languageserver picks the transport from argv.
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { GoParser } from '../core/parse/parser';
import { MapScopeServer } from './server';

const connection = createConnection(ProposedFeatures.all);
const parser = GoParser.load({ runtime: join(__dirname, 'web-tree-sitter.wasm'), go: join(__dirname, 'tree-sitter-go.wasm') });
new MapScopeServer(connection, parser).listen();
