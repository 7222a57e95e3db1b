import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * GitHub refuses a push that creates or updates a file under `.github/workflows/` from a token without the
 * `workflows` permission: a job's `GITHUB_TOKEN` (which cannot be granted it) or a GitHub App installation whose app
 * lacks "Workflows: write" (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps#repository-permissions-for-workflows,
 * added in https://github.blog/changelog/2020-04-06-github-apps-workflow-permission). git prints the refusal:
 *   ! [remote rejected] b -> b (refusing to allow a GitHub App to create or update workflow `.github/workflows/x.yml` without `workflows` permission)
 * A pre-receive hook cannot set that reason, so here the same sentence reaches git's stderr as a `remote:` line and
 * the ref line says "pre-receive hook declined"; the push fails and no ref moves, as on GitHub.
 * What counts as the push's changes: for an update, the commits `old..new` (GitHub also refuses a merge that brings
 * a default-branch workflow change into a branch); for a new ref, the commits no existing ref reaches.
 */
const HOOK = `#!/bin/sh
zero=0000000000000000000000000000000000000000
status=0
files=$(mktemp)
while read -r old new ref; do
  [ "$new" = "$zero" ] && continue
  if [ "$old" = "$zero" ]; then
    git log --format= --name-only --no-renames "$new" --not --all -- .github/workflows/ >>"$files"
  else
    git log --format= --name-only --no-renames "$old..$new" -- .github/workflows/ >>"$files"
  fi
done
grep -v '^$' "$files" | sort -u >"$files.u"
if [ -s "$files.u" ]; then
  while IFS= read -r f; do
    echo "refusing to allow a GitHub App to create or update workflow \\\`$f\\\` without \\\`workflows\\\` permission" >&2
  done <"$files.u"
  status=1
fi
rm -f "$files.u"
rm -f "$files"
exit $status
`;

/** Writes the hook under `root` once; returns the hooks directory to give a push from a token without `workflows`. */
export async function installWorkflowPushHook(root: string): Promise<string> {
  const dir = join(root, '.hooks-without-workflows');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'pre-receive');
  await writeFile(file, HOOK);
  await chmod(file, 0o755);
  return dir;
}

/** git config, as environment, that makes receive-pack run the hook in `hooksDir` (git 2.31+ reads GIT_CONFIG_COUNT). */
export function hookConfigEnv(hooksDir: string): Record<string, string> {
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: hooksDir };
}
