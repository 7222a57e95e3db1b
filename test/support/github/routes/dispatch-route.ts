import { resolveDispatchInputs } from '../dispatch-inputs.ts';
import { expandExpressions } from '../expand-expressions.ts';
import type { RepoRecord } from '../github-state.ts';
import type { Schema } from '../github-types.ts';
import { parseWorkflow, type WorkflowFile } from '../parse-workflow.ts';
import { HttpError, notFound } from '../reply.ts';
import { readBlob, resolveRef, treeEntry } from '../repo-tree.ts';
import { optionalBoolean, requireString } from '../request-body.ts';
import type { Router } from '../router.ts';
import { workflowConcurrency } from '../workflow-concurrency.ts';
import type { ActionsDeps } from './actions-deps.ts';

/** `POST /repos/{o}/{r}/actions/workflows/{workflow_id}/dispatches`: validates like GitHub, records a queued run. */
export function registerDispatchRoute(router: Router, deps: ActionsDeps): void {
  router.add('POST', '/repos/:owner/:repo/actions/workflows/:workflow/dispatches', async (ctx) => {
    const { repo, body, actor } = ctx;
    const ref = requireString(body, 'ref');
    const details = optionalBoolean(body, 'return_run_details') ?? false;
    const path = workflowPath(deps, repo, ctx.params.workflow ?? '');
    const target = await resolveRef(repo.git, ref);
    if (!target) throw new HttpError(422, `No ref found for: ${ref}`);
    const file = await loadWorkflow(repo, path, target.sha);
    if (!file) throw notFound();
    if (!file.dispatchInputs) throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
    const inputs = resolveDispatchInputs(file.dispatchInputs, body?.inputs, deps.maxInputs);

    const workflow = deps.actions.workflow(repo, path, file.name ?? path);
    const headBranch = target.branch ?? null;
    const refName = target.branch ?? ref.replace(/^refs\/(heads|tags)\//, '');
    const context = {
      inputs,
      github: {
        actor,
        event_name: 'workflow_dispatch',
        ref: ref.startsWith('refs/') ? ref : `refs/${target.branch ? 'heads' : 'tags'}/${ref}`,
        ref_name: refName,
        sha: target.sha,
        repository: repo.fullName,
        repository_owner: repo.owner,
        event: { inputs, ref },
      },
    };
    let displayTitle = workflow.name;
    try {
      if (file.runName !== undefined) displayTitle = expandExpressions(file.runName, context);
    } catch (error) {
      throw new HttpError(422, `local GitHub: run-name of ${path}: ${(error as Error).message}`);
    }
    let concurrency: Awaited<ReturnType<typeof workflowConcurrency>>;
    try {
      concurrency = await workflowConcurrency(
        deps.state,
        loadWorkflow,
        { repo, sha: target.sha },
        file,
        context,
      );
    } catch (error) {
      throw new HttpError(422, `local GitHub: concurrency of ${path}: ${(error as Error).message}`);
    }
    const record = deps.actions.addRun(workflow, {
      ...(concurrency ? { concurrency } : {}),
      displayTitle,
      event: 'workflow_dispatch',
      headBranch,
      headSha: target.sha,
      headCommit: await repo.git.commit(target.sha),
      actor,
      inputs,
    });
    const run = deps.renderRun(repo, record);
    for (const hook of deps.hooks) {
      try {
        Promise.resolve(hook(run, { ...inputs })).catch((error: unknown) => deps.hookErrors.push(error));
      } catch (error) {
        deps.hookErrors.push(error);
      }
    }
    if (!details || !deps.returnsRunDetails) return { status: 204 };
    const reply: Schema<'workflow-dispatch-response'> = {
      workflow_run_id: run.id,
      run_url: run.url,
      html_url: run.html_url,
    };
    return { status: 200, body: reply };
  });
}

/** The workflow file a `workflow_id` names: a registered numeric id or a file name under `.github/workflows/`. */
export function workflowPath(deps: ActionsDeps, repo: RepoRecord, id: string): string {
  if (/^\d+$/.test(id)) {
    const known = deps.actions.workflowById(repo, Number(id));
    if (!known) throw notFound();
    return known.path;
  }
  if (id.includes('/') || id.startsWith('.')) throw notFound();
  return `.github/workflows/${id}`;
}

// Parsed workflows by blob id: a blob never changes, and YAML parsing was a visible share of each dispatch.
const parsed = new Map<string, WorkflowFile>();

/** The parsed workflow at `path` on `sha`; undefined when there is no such file. */
export async function loadWorkflow(
  repo: RepoRecord,
  path: string,
  sha: string,
): Promise<WorkflowFile | undefined> {
  const entry = await treeEntry(repo.git, sha, path);
  if (entry?.type !== 'blob') return undefined;
  const known = parsed.get(entry.sha);
  if (known) return known;
  try {
    const file = parseWorkflow((await readBlob(repo.git, entry.sha)).toString('utf8'));
    if (parsed.size > 256) parsed.clear();
    parsed.set(entry.sha, file);
    return file;
  } catch (error) {
    throw new HttpError(422, `Invalid workflow file: ${path}: ${(error as Error).message}`);
  }
}
