import type { Octokit } from '@octokit/rest';
import type { RepoRef } from '../github/repo-ref.ts';
import { type TaskSnapshotRef, type TaskText, taskSnapshot } from '../github/task-snapshot.ts';

/**
 * Snapshots the text when a session starts, as a git blob of the repository (`POST /repos/{o}/{r}/git/blobs`,
 * https://docs.github.com/en/rest/git/blobs#create-a-blob): alignment reads that blob, so editing the issue
 * afterwards changes nothing the starter asked for. The blob id is known before the write (git hashes content), so
 * the marker can name it while the write is still in flight.
 */
export function snapshotTask(
  octokit: Octokit,
  repo: RepoRef,
  task: TaskText,
): { ref: TaskSnapshotRef; written: Promise<void> } {
  const { content, ref } = taskSnapshot(task);
  const written = octokit.rest.git.createBlob({ ...repo, content, encoding: 'utf-8' }).then((response) => {
    if (response.data.sha !== ref.blob) {
      throw new Error(`GitHub stored the task snapshot as ${response.data.sha}, expected ${ref.blob}`);
    }
  });
  // Awaited by the caller with the branch; this only keeps a failure from counting as unhandled in the meantime.
  written.catch(() => undefined);
  return { ref, written };
}
