import { open, type FileHandle } from 'node:fs/promises';
import type { HitType } from '../journey/visit.js';
import { UsageError } from '../errors.js';
import type { Pairs } from './params.js';

/**
 * --record: one NDJSON line per recorded hit, `{"type", "at", "params"}` with params in the
 * order received and token_auth left out, as `run --dry-run` prints them. Lines are batched and
 * written in order; close() waits for the last write.
 */
export class Recorder {
  private buffer = '';
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown;

  private constructor(private readonly file: FileHandle) {}

  static async open(path: string): Promise<Recorder> {
    try {
      return new Recorder(await open(path, 'w'));
    } catch (error) {
      throw new UsageError(`--record ${path}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }

  write(type: HitType, at: number, pairs: Pairs): void {
    let params = '';
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i]!;
      if (pair[0] === 'token_auth') continue;
      params += (params ? ',' : '') + JSON.stringify(pair[0]) + ':' + JSON.stringify(pair[1]);
    }
    this.buffer += `{"type":"${type}","at":"${new Date(at).toISOString()}","params":{${params}}}\n`;
    if (this.buffer.length > 65_536) this.flush();
  }

  private flush(): void {
    if (!this.buffer) return;
    const chunk = this.buffer;
    this.buffer = '';
    this.pending = this.pending.then(async () => {
      if (this.failure) return;
      try {
        await this.file.write(chunk);
      } catch (error) {
        this.failure = error;
      }
    });
  }

  async close(): Promise<void> {
    this.flush();
    await this.pending;
    await this.file.close();
    if (this.failure) throw this.failure;
  }
}
