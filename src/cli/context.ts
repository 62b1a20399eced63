import type { Command } from 'commander';
import type { Io } from '../io.js';

/** What a command module gets when it registers itself on the program. */
export interface CommandContext {
  io: Io;
  /** A command's action reports its exit code here (0 unless set). */
  setExitCode(code: number): void;
}

/** One file per command under cli/commands/, each exporting a `register` of this shape. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;
