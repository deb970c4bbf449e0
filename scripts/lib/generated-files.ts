import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface GeneratedFilesRun {
  /** Write nothing; name the files that differ and exit 1 (CI's drift check). */
  check: boolean;
  /** How a file's path is named in the messages. */
  shown: (path: string) => string;
  /** The drift message for the files that differ. */
  drift: (stale: string[]) => string;
  /** What `--check` says when nothing differs, and what a write says when nothing changed. */
  matches: string;
  upToDate: string;
}

/**
 * Writes each generated file (path → text) whose text on disk differs, or with `check` only
 * names them. Shared by the commands that generate files from the code (api:client,
 * docs:tables).
 */
export function syncGeneratedFiles(files: Map<string, string>, run: GeneratedFilesRun): void {
  const stale: string[] = [];
  for (const [path, text] of files) {
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    stale.push(run.shown(path));
    if (!run.check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  if (run.check && stale.length > 0) {
    console.error(run.drift(stale));
    process.exitCode = 1;
    return;
  }
  console.log(
    run.check ? run.matches : stale.length > 0 ? `wrote ${stale.join(', ')}` : run.upToDate,
  );
}
