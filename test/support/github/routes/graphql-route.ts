import type { GitHubState } from '../github-state.ts';
import type { Site } from '../github-types.ts';
import type { Reply } from '../reply.ts';
import type { Body } from '../request-body.ts';

// `mutation [Name][($vars)] { [alias:] markPullRequestReadyForReview(input: …) { … } }`
const MUTATION = /^\s*mutation\b[^{]*\{\s*(?:(\w+)\s*:\s*)?markPullRequestReadyForReview\s*\(([^)]*)\)/;

/**
 * The one GraphQL operation the app needs: REST cannot take a pull request out of draft. The answer carries a
 * fixed selection (`pullRequest { id number isDraft state url }`) whatever fields the query asked for.
 */
export function answerGraphql(body: Body | undefined, state: GitHubState, site: Site): Reply {
  const query = typeof body?.query === 'string' ? body.query : '';
  const match = MUTATION.exec(query);
  if (!match) {
    return graphqlError('local GitHub: only the markPullRequestReadyForReview mutation is implemented');
  }
  const key = match[1] ?? 'markPullRequestReadyForReview';
  const id = pullRequestId(match[2] ?? '', body?.variables);
  const pull = id === undefined ? undefined : state.pullByNodeId(id);
  if (!pull) {
    return graphqlError(`Could not resolve to a node with the global id of '${id ?? ''}'`, 'NOT_FOUND', key);
  }
  pull.draft = false;
  const issue = state.issues.find((i) => i.repo === pull.repo && i.number === pull.number);
  const pullRequest = {
    id: pull.nodeId,
    number: pull.number,
    isDraft: false,
    state: issue?.state === 'closed' ? 'CLOSED' : 'OPEN',
    url: `${site.webUrl}/${pull.repo}/pull/${pull.number}`,
  };
  return { status: 200, body: { data: { [key]: { clientMutationId: null, pullRequest } } } };
}

/** `pullRequestId` either inline (`"PR_…"`) or through a variable (`$id`, `$input` with `{ pullRequestId }`). */
function pullRequestId(args: string, variables: unknown): string | undefined {
  const vars = (typeof variables === 'object' && variables !== null ? variables : {}) as Record<
    string,
    unknown
  >;
  const inline = /pullRequestId\s*:\s*"([^"]+)"/.exec(args);
  if (inline) return inline[1];
  const byVariable = /pullRequestId\s*:\s*\$(\w+)/.exec(args);
  if (byVariable) return asString(vars[byVariable[1] ?? '']);
  const wholeInput = /input\s*:\s*\$(\w+)/.exec(args);
  const input = wholeInput ? vars[wholeInput[1] ?? ''] : undefined;
  return typeof input === 'object' && input !== null ? asString((input as Body).pullRequestId) : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// GraphQL reports errors with 200 and an `errors` array; Octokit turns that into a GraphqlResponseError.
function graphqlError(message: string, type?: string, path?: string): Reply {
  const error = { message, locations: [], ...(type ? { type } : {}), ...(path ? { path: [path] } : {}) };
  return { status: 200, body: path ? { data: { [path]: null }, errors: [error] } : { errors: [error] } };
}
