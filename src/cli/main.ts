import { CommanderError } from 'commander';
import { ExitCode, TrafficError } from '../errors.js';
import type { Io } from '../io.js';
import { buildProgram } from './program.js';

/**
 * Runs one command line and returns its exit code. Never exits the process and never lets a user
 * mistake surface as a stack trace: TrafficErrors print as one line; anything else is a bug (exit 1).
 */
export async function main(io: Io): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(io, { io, setExitCode: (code) => void (exitCode = code) });
  try {
    await program.parseAsync([...io.argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return exitCodeOf(error, io);
  }
}

function exitCodeOf(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (help, version or the usage error).
    const quiet = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    if (quiet.includes(error.code) || error.exitCode === 0) return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof TrafficError) {
    io.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(
    `internal error (a bug in trafficinator, please report it):\n${detail}\n`,
  );
  return ExitCode.internal;
}
