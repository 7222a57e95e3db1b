import { createHash } from 'node:crypto';
import { canonicalJson, digest } from '../state/digest.ts';

/** The text as a session's start found it. */
export interface TaskText {
  title: string;
  body: string;
}

/** Where a snapshot lives: a git blob of the repository (content-addressed), and the digest of its text. */
export interface TaskSnapshotRef {
  blob: string;
  sha256: string;
}

/** The snapshot's blob content (canonical JSON, so equal text gives an equal blob) and its reference. */
export function taskSnapshot(task: TaskText): { content: string; ref: TaskSnapshotRef } {
  const content = canonicalJson({ title: task.title, body: task.body });
  return {
    content,
    ref: { blob: gitBlobSha(content), sha256: digest({ title: task.title, body: task.body }) },
  };
}

/**
 * The task text in a snapshot's blob, or why it cannot be used: the blob must hash to the git object id the sealed
 * marker names and its text to the digest recorded with it, so neither an edit of the issue nor another blob counts.
 */
export function readTaskSnapshot(content: string, ref: TaskSnapshotRef): TaskText | string {
  if (gitBlobSha(content) !== ref.blob)
    return `the task snapshot blob ${ref.blob} does not hold the recorded text`;
  try {
    const parsed = JSON.parse(content) as Partial<TaskText>;
    if (typeof parsed.title !== 'string' || typeof parsed.body !== 'string')
      return 'the task snapshot is malformed';
    const task = { title: parsed.title, body: parsed.body };
    return digest(task) === ref.sha256 ? task : 'the task snapshot does not match its recorded digest';
  } catch {
    return 'the task snapshot is not JSON';
  }
}

/** Git's object id of a blob: sha-1 over `blob <byte length>\0<content>`. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
