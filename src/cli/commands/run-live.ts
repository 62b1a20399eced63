import type { Command } from 'commander';
import type { Io } from '../io.js';

export async function runLive(_io: Io, _cmd: Command): Promise<number> {
  return 2;
}
