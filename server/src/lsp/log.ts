// The server's log, as `window/logMessage` (VS Code shows it in the MapScope Output channel, Neovim
// in its LSP log), filtered by the `mapscope.logLevel` setting; and warnings people must see once
// (`window/showMessage`), such as a setting that is not understood.
import { MessageType, type Connection } from 'vscode-languageserver/node';
import { LOG_LEVELS, type LogLevel } from './settings';

export class Log {
  level: LogLevel = 'info';
  private readonly shown = new Set<string>();

  constructor(private readonly connection: Connection) {}

  error(message: string): void {
    this.send('error', MessageType.Error, message);
  }

  warn(message: string): void {
    this.send('warning', MessageType.Warning, message);
  }

  info(message: string): void {
    this.send('info', MessageType.Info, message);
  }

  debug(message: string): void {
    this.send('debug', MessageType.Debug, message);
  }

  get debugEnabled(): boolean {
    return this.enabled('debug');
  }

  /** Logs a warning, and shows it as a notification the first time this server sees it. */
  warnOnce(message: string): void {
    this.warn(message);
    if (this.shown.has(message)) return;
    this.shown.add(message);
    void this.connection.sendNotification('window/showMessage', { type: MessageType.Warning, message: `MapScope: ${message}` });
  }

  private enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(this.level);
  }

  private send(level: LogLevel, type: MessageType, message: string): void {
    if (this.enabled(level)) void this.connection.sendNotification('window/logMessage', { type, message });
  }
}
