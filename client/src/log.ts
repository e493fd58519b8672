// The MapScope Output channel: the extension's own lines and the server's (window/logMessage, which
// the language client writes here), each with a time and a level, filtered by `mapscope.logLevel`.
// It implements LogOutputChannel over a plain channel so that the setting, not VS Code's per-channel
// log level, decides what shows; `mapscope.trace.server` turns on the protocol trace (the language
// client traces only into a channel whose level is Trace).
import { EventEmitter, LogLevel, window, workspace, type Disposable, type LogOutputChannel, type OutputChannel, type ViewColumn } from 'vscode';

const LEVELS: Record<string, LogLevel> = { error: LogLevel.Error, warning: LogLevel.Warning, info: LogLevel.Info, debug: LogLevel.Debug };
const NAMES: Record<number, string> = { [LogLevel.Trace]: 'trace', [LogLevel.Debug]: 'debug', [LogLevel.Info]: 'info', [LogLevel.Warning]: 'warning', [LogLevel.Error]: 'error' };

export class MapScopeLog implements LogOutputChannel, Disposable {
  readonly name = 'MapScope';
  private readonly channel: OutputChannel = window.createOutputChannel('MapScope', 'log');
  private readonly changed = new EventEmitter<LogLevel>();
  readonly onDidChangeLogLevel = this.changed.event;
  private level = configuredLevel();
  private readonly watcher = workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('mapscope.logLevel') && !e.affectsConfiguration('mapscope.trace.server')) return;
    const level = configuredLevel();
    if (level === this.level) return;
    this.level = level;
    this.changed.fire(level);
  });

  get logLevel(): LogLevel {
    return this.level;
  }

  trace(message: string): void {
    this.write(LogLevel.Trace, message);
  }

  debug(message: string): void {
    this.write(LogLevel.Debug, message);
  }

  info(message: string): void {
    this.write(LogLevel.Info, message);
  }

  warn(message: string): void {
    this.write(LogLevel.Warning, message);
  }

  error(error: string | Error): void {
    this.write(LogLevel.Error, typeof error === 'string' ? error : (error.stack ?? error.message));
  }

  append(value: string): void {
    this.channel.append(value);
  }

  appendLine(value: string): void {
    this.channel.appendLine(value);
  }

  replace(value: string): void {
    this.channel.replace(value);
  }

  clear(): void {
    this.channel.clear();
  }

  show(columnOrPreserveFocus?: ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean') this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }

  hide(): void {
    this.channel.hide();
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
    this.channel.dispose();
  }

  private write(level: LogLevel, message: string): void {
    if (this.level === LogLevel.Off || level < this.level) return;
    this.channel.appendLine(`${timestamp()} [${NAMES[level]}] ${message}`);
  }
}

/** `mapscope.logLevel`, lowered to Trace while `mapscope.trace.server` is on (the trace needs it). */
function configuredLevel(): LogLevel {
  const config = workspace.getConfiguration('mapscope');
  if (config.get<string>('trace.server', 'off') !== 'off') return LogLevel.Trace;
  return LEVELS[config.get<string>('logLevel', 'info')] ?? LogLevel.Info;
}

/** `2025-01-31 14:03:07.123`, as VS Code's own log channels print it (local time). */
function timestamp(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
