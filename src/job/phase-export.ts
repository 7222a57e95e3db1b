import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/write-atomic.ts';

/** One file a phase exports, as it computed it: the text is what gets written, the digest is over its bytes. */
export interface ExportFile {
  file: string;
  text: string;
}

/** A written file and the sha256 of the exact bytes the phase wrote (not the canonical-JSON digest of a document). */
export interface ExportedFile {
  file: string;
  sha256: string;
}

/** The output directory no longer holds exactly what the phase wrote. */
export class ExportChangedError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${dir} is not what the phase wrote: ${problems.join('; ')}. Something still running after the phase (a ` +
        'process a command left behind) changed its output, so it is not handed on; retry the phase, and keep ' +
        'the command sandbox on so every command’s process tree is killed when it ends',
    );
    this.name = 'ExportChangedError';
  }
}

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes every file once, from memory, and returns the digest of each as written. Called only after the phase's
 * untrusted commands are over: nothing before this point could have touched what is written, and each file is
 * renamed into place, so a file planted under the same name earlier is replaced, not appended to.
 */
export async function writeExport(dir: string, files: readonly ExportFile[]): Promise<ExportedFile[]> {
  await mkdir(dir, { recursive: true });
  const exported: ExportedFile[] = [];
  for (const { file, text } of files) {
    await writeFileAtomic(join(dir, file), text);
    exported.push({ file, sha256: sha256(Buffer.from(text, 'utf8')) });
  }
  return exported;
}

/**
 * Reads the export back for whoever hands it on (adopts it into the session store, uploads it), each file once, and
 * refuses unless the directory holds exactly the files written with exactly their bytes: a process left behind by a
 * command can outlive the phase and rewrite the directory, or add a file that an upload of the whole directory
 * would carry. Returns the verified texts; use them, never a second read of the files.
 */
export async function readExport(
  dir: string,
  expected: readonly ExportedFile[],
): Promise<Map<string, string>> {
  const problems: string[] = [];
  const texts = new Map<string, string>();
  const wanted = new Map(expected.map((entry) => [entry.file, entry.sha256]));
  const present = await readdir(dir).catch(() => [] as string[]);
  for (const name of present) {
    if (!wanted.has(name)) problems.push(`${name} was not written by the phase`);
  }
  for (const [file, digest] of wanted) {
    const bytes = await readFile(join(dir, file)).catch(() => null);
    if (bytes === null) problems.push(`${file} is missing`);
    else if (sha256(bytes) !== digest) {
      problems.push(`${file} changed (sha256 ${sha256(bytes).slice(0, 12)}, written ${digest.slice(0, 12)})`);
    } else texts.set(file, bytes.toString('utf8'));
  }
  if (problems.length > 0) throw new ExportChangedError(dir, problems);
  return texts;
}
