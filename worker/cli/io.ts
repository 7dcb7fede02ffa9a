/** What a CLI command may touch: injected so commands are testable without a terminal or a disk. */
export interface CliIo {
  readFile(path: string): Promise<Uint8Array>;
  out(text: string): void;
  err(text: string): void;
}
