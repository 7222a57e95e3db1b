import type { BareRepo } from './bare-repo.ts';
import type { Schema } from './github-types.ts';

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  /** `owner/name`: the key every other record uses. */
  fullName: string;
  private: boolean;
  defaultBranch: string;
  createdAt: string;
  git: BareRepo;
  /** Issues and pull requests share one number sequence per repository, as on GitHub. */
  lastNumber: number;
  /** Branches under branch protection (`GET /branches/{b}` answers `protected: true`). */
  protectedBranches?: Set<string>;
  /**
   * False for a private repository on GitHub Free or Pro, where GitHub refuses draft pull requests (422 "Draft pull
   * requests are not supported in this repository."; drafts need a public repository or Team/Enterprise:
   * https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/proposing-changes-to-your-work-with-pull-requests/about-pull-requests#draft-pull-requests).
   */
  draftPullRequests?: boolean;
}

export interface IssueRecord {
  repo: string;
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  labels: string[];
  /** True when the number belongs to a pull request (GitHub serves those through the issues API too). */
  isPull: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export type ReactionContent = Schema<'reaction'>['content'];

export interface ReactionRecord {
  id: number;
  user: string;
  content: ReactionContent;
  createdAt: string;
}

export interface CommentRecord {
  repo: string;
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  reactions: ReactionRecord[];
}

export interface PullRecord {
  repo: string;
  id: number;
  number: number;
  nodeId: string;
  /** Branch names; the head always lives in the same repository (fork PRs are out of scope). */
  head: string;
  base: string;
  draft: boolean;
  /** The head commit when last seen, kept for a head branch that was deleted since. */
  headSha: string;
  baseSha: string;
}

/** The in-memory side of the local GitHub; git refs live in each repository's bare repo instead. */
export class GitHubState {
  readonly repos = new Map<string, RepoRecord>();
  readonly issues: IssueRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly pulls: PullRecord[] = [];
  private lastId = 1000;

  constructor(readonly now: () => Date = () => new Date()) {}

  /** A fresh id, unique across every kind of record. */
  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  timestamp(): string {
    // GitHub's timestamps have second precision.
    return `${this.now().toISOString().slice(0, 19)}Z`;
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  addRepo(owner: string, name: string, git: BareRepo): RepoRecord {
    const record: RepoRecord = {
      id: this.nextId(),
      owner,
      name,
      fullName: `${owner}/${name}`,
      private: false,
      defaultBranch: 'main',
      createdAt: this.timestamp(),
      git,
      lastNumber: 0,
    };
    this.repos.set(record.fullName.toLowerCase(), record);
    return record;
  }

  addIssue(
    repo: RepoRecord,
    fields: { title: string; body?: string | null; user: string; labels?: string[] },
  ): IssueRecord {
    repo.lastNumber += 1;
    const at = this.timestamp();
    const issue: IssueRecord = {
      repo: repo.fullName,
      id: this.nextId(),
      number: repo.lastNumber,
      title: fields.title,
      body: fields.body ?? null,
      user: fields.user,
      state: 'open',
      labels: fields.labels ?? [],
      isPull: false,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
    };
    this.issues.push(issue);
    return issue;
  }

  issue(repo: RepoRecord, number: number): IssueRecord | undefined {
    return this.issues.find((i) => i.repo === repo.fullName && i.number === number);
  }

  addComment(repo: RepoRecord, issue: IssueRecord, fields: { body: string; user: string }): CommentRecord {
    const at = this.timestamp();
    const comment: CommentRecord = {
      repo: repo.fullName,
      id: this.nextId(),
      issueNumber: issue.number,
      body: fields.body,
      user: fields.user,
      createdAt: at,
      updatedAt: at,
      reactions: [],
    };
    this.comments.push(comment);
    issue.updatedAt = at;
    return comment;
  }

  comment(repo: RepoRecord, id: number): CommentRecord | undefined {
    return this.comments.find((c) => c.repo === repo.fullName && c.id === id);
  }

  commentsOn(repo: RepoRecord, issueNumber: number): CommentRecord[] {
    return this.comments.filter((c) => c.repo === repo.fullName && c.issueNumber === issueNumber);
  }

  /** Opens a pull request: an issue record (for title, body, state, comments) plus the branch details. */
  addPull(
    repo: RepoRecord,
    fields: { title: string; body?: string | null; user: string; head: string; base: string; draft: boolean },
    shas: { head: string; base: string },
  ): PullRecord {
    const issue = this.addIssue(repo, fields);
    issue.isPull = true;
    const id = this.nextId();
    const pull: PullRecord = {
      repo: repo.fullName,
      id,
      number: issue.number,
      nodeId: `PR_local${id}`,
      head: fields.head,
      base: fields.base,
      draft: fields.draft,
      headSha: shas.head,
      baseSha: shas.base,
    };
    this.pulls.push(pull);
    return pull;
  }

  pull(repo: RepoRecord, number: number): PullRecord | undefined {
    return this.pulls.find((p) => p.repo === repo.fullName && p.number === number);
  }

  pullsOf(repo: RepoRecord): PullRecord[] {
    return this.pulls.filter((p) => p.repo === repo.fullName);
  }

  pullByNodeId(nodeId: string): PullRecord | undefined {
    return this.pulls.find((p) => p.nodeId === nodeId);
  }
}
