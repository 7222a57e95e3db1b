import type { Conversation, ReplayScript, ScriptedContentBlock } from '../../replay/script-schema.ts';
import { libraryFiles } from './library-files.ts';
import { seededRandom } from './seeded-random.ts';

export const SCENARIO_SIZES = ['S', 'M', 'L'] as const;
export type ScenarioSize = (typeof SCENARIO_SIZES)[number];

/** Model calls of the whole session per size; S is the demo as written. */
export const SCENARIO_CALLS: Record<Exclude<ScenarioSize, 'S'>, number> = { M: 40, L: 156 };

/** A replay scenario on the bundled demo repository: files added to it, its config, and the script. */
export interface Scenario {
  size: ScenarioSize;
  /** Added to (or replacing) files of examples/demo-repo before the base commit. */
  files: Record<string, string>;
  /** Merged into the repository's `.github/ipo.yml`: budgets big enough for the scenario's calls. */
  config: Record<string, unknown>;
  script: ReplayScript;
}

/** Share of the extra calls each phase makes: implementation does most of the work. */
const SHARE = { alignment: 0.2, implementation: 0.55, verification: 0.25 } as const;

/**
 * Grows the demo script (`base`) to `size`: before each phase's last turns it inserts work turns drawn with a seeded
 * PRNG — whole-file reads (the same files again and again), searches, full test runs with long output, and in
 * implementation failed attempts (a string-sorting median whose tests fail) before the demo's correct fix. Every
 * phase still ends with the demo's own submission, so the session passes its checks; the responses are the same
 * for the monolithic baseline, which replays them in order.
 */
export function generateScenario(size: ScenarioSize, base: ReplayScript, seed = 1): Scenario {
  if (size === 'S') return { size, files: {}, config: {}, script: base };
  const random = seededRandom(seed);
  const files = libraryFiles(4, 20);
  const modules = Object.keys(files).filter((f) => f.startsWith('src/'));
  const tests = Object.keys(files).filter((f) => f.startsWith('test/'));
  const baseCalls = base.conversations.reduce((sum, c) => sum + c.turns.length, 0);
  const extra = SCENARIO_CALLS[size] - baseCalls;
  const alignmentExtra = Math.round(extra * SHARE.alignment);
  const verificationExtra = Math.round(extra * SHARE.verification);
  const extraOf: Record<string, number> = {
    alignment: alignmentExtra,
    implementation: extra - alignmentExtra - verificationExtra,
    verification: verificationExtra,
  };
  let nextId = 0;
  const id = () => `toolu_gen_${String(++nextId).padStart(4, '0')}`;
  const read = (path: string): ScriptedContentBlock => ({
    type: 'tool_use',
    id: id(),
    name: 'read_file',
    input: { path },
  });
  const readOnlyTurn = (): ScriptedContentBlock[] => {
    const r = random.next();
    if (r < 0.15)
      return [{ type: 'tool_use', id: id(), name: 'search', input: { pattern: 'assertNumbers' } }];
    if (r < 0.3) return [read(random.pick(tests)), read(random.pick(['src/median.js', 'docs/SPEC.md']))];
    return [read(random.pick(modules))];
  };
  const implementationTurn = (attempt: number): ScriptedContentBlock[] => {
    const r = random.next();
    if (r < 0.12)
      return [
        {
          type: 'tool_use',
          id: id(),
          name: 'write_file',
          input: { path: 'src/median.js', content: wrongMedian(attempt) },
        },
      ];
    if (r < 0.35)
      return [{ type: 'tool_use', id: id(), name: 'run_command', input: { command: 'npm test' } }];
    return readOnlyTurn();
  };

  const conversations: Conversation[] = base.conversations.map((conversation) => {
    const count = extraOf[conversation.name] ?? 0;
    const inserted = Array.from({ length: count }, (_, i) => ({
      response: {
        content: [
          {
            type: 'text' as const,
            text: `Step ${i + 1} of the ${conversation.name} work: checking more of the library.`,
          },
          ...(conversation.name === 'implementation' ? implementationTurn(i) : readOnlyTurn()),
        ],
      },
    }));
    const [first, ...rest] = conversation.turns;
    if (!first) return conversation;
    // The first turn keeps its isolation expectations; later ones referred to the demo's order, now changed.
    return {
      ...conversation,
      turns: [first, ...inserted, ...rest.map(({ expect: _dropped, ...turn }) => turn)],
    };
  });
  const budget = (calls: number) => ({
    maxTurns: calls + 20,
    maxInputTokens: 100_000_000,
    wallTimeSeconds: 3_600,
  });
  const config = {
    phases: Object.fromEntries(conversations.map((c) => [c.name, budget(c.turns.length)])),
  };
  return { size, files, config, script: { ...base, conversations } };
}

/** A plausible first try that sorts as strings: [10, 9, 2] comes out as [10, 2, 9], so a test fails. */
function wrongMedian(attempt: number): string {
  return [
    `import { assertNumbers } from './validate.js';`,
    '',
    `// attempt ${attempt + 1}`,
    'export function median(values) {',
    "  assertNumbers('median', values);",
    '  const sorted = [...values].sort();',
    '  const middle = Math.floor(sorted.length / 2);',
    '  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;',
    '}',
    '',
  ].join('\n');
}
