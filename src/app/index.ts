import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { AppDeps } from './app-deps.ts';
import { composeAppDeps } from './compose.ts';
import { handleIssueComment } from './handlers/issue-comment.ts';
import { handleWorkflowRun } from './handlers/workflow-run.ts';
import { healthz } from './healthz.ts';

/** The ipo GitHub App: routes events to their handlers; everything else lives in the handlers. */
export default function ipoApp(
  app: Probot,
  options: ApplicationFunctionOptions,
  deps: AppDeps = composeAppDeps(),
): void {
  options.addHandler?.(healthz);
  app.on('issue_comment.created', (context) => handleIssueComment(context, deps));
  app.on('workflow_run.completed', (context) => handleWorkflowRun(context, deps));
}
