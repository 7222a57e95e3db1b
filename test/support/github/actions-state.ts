import { randomBytes } from 'node:crypto';
import type { CommitInfo } from './bare-repo.ts';
import type { InputValue } from './dispatch-inputs.ts';
import type { GitHubState, RepoRecord } from './github-state.ts';

export type RunStatus = 'requested' | 'queued' | 'pending' | 'waiting' | 'in_progress' | 'completed';
export type RunConclusion =
  | 'success'
  | 'failure'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'neutral'
  | 'stale';

export interface WorkflowRecord {
  repo: string;
  id: number;
  /** `.github/workflows/<file>`. */
  path: string;
  name: string;
  createdAt: string;
}

export interface RunRecord {
  repo: string;
  id: number;
  workflowId: number;
  /** The workflow file, `.github/workflows/<file>`. */
  path: string;
  /** The workflow's name (`name:`, else its path), as GitHub reports it in `name`. */
  name: string;
  /** The expanded `run-name` (else the workflow's name): GitHub's `display_title`. */
  displayTitle: string;
  runNumber: number;
  event: string;
  status: RunStatus;
  conclusion: RunConclusion | null;
  headBranch: string | null;
  headSha: string;
  headCommit: CommitInfo;
  actor: string;
  /** The `inputs` context the run sees (given values plus defaults). */
  inputs: Record<string, InputValue>;
  createdAt: string;
  updatedAt: string;
  runStartedAt: string;
  /** Set by `POST …/cancel`, or by a newer run of its concurrency group with `cancel-in-progress`. */
  cancelRequested: boolean;
  /** The expanded `concurrency` of the workflow (or of the reusable workflow it calls). */
  concurrency?: { group: string; cancelInProgress: boolean };
}

export interface ArtifactRecord {
  repo: string;
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  /** The secret part of the download URL the zip endpoint redirects to. */
  downloadKey: string;
  createdAt: string;
  expiresAt: string;
}

/** Workflows, runs and artifacts of the local GitHub (in memory; nothing here executes a run). */
export class ActionsState {
  readonly workflows: WorkflowRecord[] = [];
  readonly runs: RunRecord[] = [];
  readonly artifacts: ArtifactRecord[] = [];
  /**
   * Run lists can lag behind the runs GitHub created (its list API is eventually consistent): while set, the next
   * `lists` list answers leave out runs newer than `after`. See `lagRunLists`.
   */
  listLag: { after: number; lists: number } | undefined;

  constructor(
    private readonly state: GitHubState,
    /** The repository's artifact retention in days: an upload is kept this long at most. */
    readonly retentionDays = 90,
  ) {}

  /** The next `lists` run-list answers omit every run created from now on, as a lagging list would. */
  lagRunLists(lists: number): void {
    this.listLag = { after: Math.max(0, ...this.runs.map((r) => r.id)), lists };
  }

  /** The workflow at `path`, registered (with a fresh id) the first time it is seen. */
  workflow(repo: RepoRecord, path: string, name: string): WorkflowRecord {
    const known = this.workflows.find((w) => w.repo === repo.fullName && w.path === path);
    if (known) {
      known.name = name;
      return known;
    }
    const record = {
      repo: repo.fullName,
      id: this.state.nextId(),
      path,
      name,
      createdAt: this.state.timestamp(),
    };
    this.workflows.push(record);
    return record;
  }

  workflowById(repo: RepoRecord, id: number): WorkflowRecord | undefined {
    return this.workflows.find((w) => w.repo === repo.fullName && w.id === id);
  }

  addRun(
    workflow: WorkflowRecord,
    fields: Pick<
      RunRecord,
      'displayTitle' | 'event' | 'headBranch' | 'headSha' | 'headCommit' | 'actor' | 'inputs'
    > &
      Partial<Pick<RunRecord, 'concurrency'>>,
  ): RunRecord {
    const at = this.state.timestamp();
    const run: RunRecord = {
      ...fields,
      repo: workflow.repo,
      id: this.state.nextId(),
      workflowId: workflow.id,
      path: workflow.path,
      name: workflow.name,
      runNumber: this.runs.filter((r) => r.workflowId === workflow.id).length + 1,
      status: 'queued',
      conclusion: null,
      createdAt: at,
      updatedAt: at,
      runStartedAt: at,
      cancelRequested: false,
    };
    if (run.concurrency) this.enterGroup(run, run.concurrency);
    this.runs.push(run);
    return run;
  }

  /**
   * GitHub's concurrency groups: "at most one running and one pending job in a concurrency group at any time. [...]
   * Any existing pending job or workflow in the same concurrency group, if it exists, will be canceled and the new
   * queued job or workflow will take its place"; `cancel-in-progress: true` cancels the running one too
   * (https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency).
   * Group names are case-insensitive. Here a run holding its group is `queued` or `in_progress`; a waiting one is
   * `pending` until the holder completes (`updateRun` then lets it go).
   */
  private enterGroup(run: RunRecord, concurrency: { group: string; cancelInProgress: boolean }): void {
    const others = this.inGroup(run.repo, concurrency.group);
    for (const other of others.filter((r) => r.status === 'pending')) {
      this.finish(other, 'cancelled');
    }
    const holders = others.filter((r) => r.status !== 'pending' && r.status !== 'completed');
    if (concurrency.cancelInProgress) {
      for (const holder of holders) holder.cancelRequested = true;
    }
    if (holders.length > 0) run.status = 'pending';
  }

  /** The runs of `group` in `repo` that have not completed. */
  inGroup(repo: string, group: string): RunRecord[] {
    const key = group.toLowerCase();
    return this.runs.filter(
      (r) => r.repo === repo && r.status !== 'completed' && r.concurrency?.group.toLowerCase() === key,
    );
  }

  private finish(run: RunRecord, conclusion: RunConclusion): void {
    run.status = 'completed';
    run.conclusion = conclusion;
    run.updatedAt = this.state.timestamp();
  }

  run(id: number): RunRecord | undefined {
    return this.runs.find((r) => r.id === id);
  }

  /** A repository's runs, newest first (GitHub's order). */
  runsOf(repo: RepoRecord): RunRecord[] {
    return this.runs.filter((r) => r.repo === repo.fullName).sort((a, b) => b.id - a.id);
  }

  /** Moves a run on; a conclusion goes with `completed` and only with it, as on GitHub. */
  updateRun(id: number, change: { status: RunStatus; conclusion?: RunConclusion | null }): RunRecord {
    const run = this.run(id);
    if (!run) throw new Error(`local GitHub: no workflow run ${id}`);
    const conclusion = change.conclusion ?? null;
    if ((change.status === 'completed') !== (conclusion !== null)) {
      throw new Error(
        `local GitHub: status ${change.status} with conclusion ${conclusion} is not a state a run can be in`,
      );
    }
    run.status = change.status;
    run.conclusion = conclusion;
    run.updatedAt = this.state.timestamp();
    // The holder is done: the group's pending run (at most one) may start.
    if (change.status === 'completed' && run.concurrency) {
      const next = this.inGroup(run.repo, run.concurrency.group).find((r) => r.status === 'pending');
      if (next) {
        next.status = 'queued';
        next.updatedAt = run.updatedAt;
      }
    }
    return run;
  }

  /** Stores an artifact of `runId`; names are unique within a run (upload-artifact v4 fails on a repeat). */
  addArtifact(runId: number, name: string, zip: Buffer, retentionDays?: number): ArtifactRecord {
    const run = this.run(runId);
    if (!run) throw new Error(`local GitHub: no workflow run ${runId}`);
    if (this.artifactsOf(runId).some((a) => a.name === name)) {
      throw new Error(`local GitHub: run ${runId} already has an artifact named ${name}`);
    }
    const now = this.state.now();
    // upload-artifact's `retention-days` cannot exceed the repository's setting; GitHub keeps the shorter.
    const days = Math.min(retentionDays ?? this.retentionDays, this.retentionDays);
    const expires = new Date(now.getTime() + days * 24 * 3600 * 1000);
    const artifact: ArtifactRecord = {
      repo: run.repo,
      id: this.state.nextId(),
      runId,
      name,
      zip,
      downloadKey: randomBytes(16).toString('hex'),
      createdAt: this.state.timestamp(),
      expiresAt: `${expires.toISOString().slice(0, 19)}Z`,
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  artifactsOf(runId: number): ArtifactRecord[] {
    return this.artifacts.filter((a) => a.runId === runId);
  }

  artifact(repo: RepoRecord, id: number): ArtifactRecord | undefined {
    return this.artifacts.find((a) => a.repo === repo.fullName && a.id === id);
  }
}
