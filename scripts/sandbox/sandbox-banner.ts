import { GATED_PHASES, proceedPhrase } from '../../src/core/phases.ts';
import { SANDBOX_USERS, type Sandbox } from './start-sandbox.ts';

/** The phrases the replay script has answers for, in the order they must be given. */
export const SCRIPTED_PHRASES = [
  "I'm going to start implementation of phase 1.3",
  ...GATED_PHASES.map((phase) => proceedPhrase(phase)),
] as const;

export const HELP = `Commands:
  as <user> <comment text…>   post a comment on the issue as <user>, deliver the webhook to the app, wait for
                              the runs it caused, then print the new and edited comments ("\\n" starts a new line)
  comments                    the issue's comments, newest last (the status comment without its hidden marker)
  status                      the session as the sticky status marker records it, with its runs
  runs                        workflow runs: id, name, status, conclusion
  artifacts [run-id]          artifact names and the files in each (all runs without a run id)
  pr                          the pull request: draft or ready, head branch and sha
  log                         git log of the session branch in the local bare repository
  help                        this text
  quit                        stop everything and remove the temporary directories (also Ctrl-C, Ctrl-D)
Try:
  as maintainer ${SCRIPTED_PHRASES[0]}
  as reader proceed to implementation        (refused: reader has read access only)
  as maintainer proceed to implementation
  as writer proceed to verification
  as maintainer proceed to commit`;

/** What is running, who can comment, and the warning that model answers are replayed. */
export function renderBanner(s: Sandbox, scriptPath: string): string {
  const users = Object.entries(SANDBOX_USERS).map(([login, role]) => `${login} (${role})`);
  return [
    'ipo sandbox: the GitHub flow on loopback, no GitHub and no model account needed.',
    `  local GitHub API   ${s.github.apiUrl}`,
    `  clone URL          ${s.github.gitUrl()}`,
    `  app webhook        ${s.appUrl}`,
    `  replayed model     ${s.replay.url}`,
    `  repository         ${s.owner}/${s.repo} (examples/demo-repo, with the caller workflow)`,
    `  issue              #${s.issue} "Add median (task 1.3)"`,
    `  users              ${users.join(', ')}`,
    '',
    `Model answers are REPLAYED from ${scriptPath}, not generated. Only the demo's happy path`,
    'has scripted answers: start task 1.3, then these three phrases in order:',
    ...SCRIPTED_PHRASES.slice(1).map((phrase) => `  ${phrase}`),
    'Anything else that reaches the model (a retry, a second session) fails for want of a scripted turn;',
    'commands the app refuses or answers itself (wrong user, wrong gate, ipo status) work at any time.',
    '',
    HELP,
  ].join('\n');
}
