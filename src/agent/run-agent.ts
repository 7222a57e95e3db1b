import { APIUserAbortError, type Middleware } from '@anthropic-ai/sdk';
import { type BetaRunnableTool, runRunnableTool } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import type {
  BetaContentBlock,
  BetaMessage,
  BetaMessageParam,
  BetaToolResultBlockParam,
  BetaToolUnion,
  BetaToolUseBlock,
} from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type {
  AgentBudgets,
  AgentFailure,
  AgentOutcome,
  RunAgentParams,
  ThinkingSettings,
} from './agent-types.ts';
import { cachedSystem, cachedTools, withMessageBreakpoint } from './cache-breakpoints.ts';
import { checkBudgets } from './check-budgets.ts';
import { clearOldToolResults } from './context/clear-old-tool-results.ts';
import { describeModelFailure, type ModelCallContext } from './describe-model-failure.ts';
import { type CallMetrics, contextTokens, summarizeCalls } from './metrics.ts';
import { watchModelCall } from './model-call-watch.ts';
import { isOverloaded, overloadDelay } from './overload-retry.ts';
import { redactDeep } from './redact.ts';
import { SUBMIT_RESULT, submitToolDefinition, validateSubmission } from './submit-tool.ts';
import type { TranscriptEntry } from './transcript.ts';

const DEFAULT_MAX_INVALID = 3;
const DEFAULT_MAX_TOKENS_PER_CALL = 8192;
/**
 * The SDK refuses a non-streaming call whose `max_tokens` implies more than 10 minutes (60 min × max_tokens /
 * 128,000, `calculateNonstreamingTimeout` in @anthropic-ai/sdk): raising past this would fail on the client.
 */
const MAX_NONSTREAMING_TOKENS = 21_333;
/** Times the model may end its turn without calling a tool before the run fails as "no result". */
const MAX_NUDGES = 2;

/**
 * Runs one bounded agent loop on the Messages API: the model uses the phase's tools and ends by calling
 * `submit_result` with input that must satisfy the result schema. Never throws for model, tool or API failures:
 * they come back as a typed failure with the metrics and transcript so far.
 */
export async function runAgent<R>(p: RunAgentParams<R>): Promise<AgentOutcome<R>> {
  const now = p.now ?? Date.now;
  const redact = p.redact ?? ((text: string) => text);
  const started = now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), p.budgets.wallTimeMs);
  const calls: CallMetrics[] = [];
  const transcript: TranscriptEntry[] = [];
  const record = (entry: TranscriptEntry) => transcript.push(redactDeep(entry, redact));
  const finish = (
    outcome: { ok: true; result: R } | { ok: false; failure: AgentFailure },
  ): AgentOutcome<R> => {
    clearTimeout(timer);
    const metrics = summarizeCalls(p.model, calls, now() - started);
    if (!outcome.ok) record({ kind: 'error', turn: calls.length, message: outcome.failure.message });
    return { ...outcome, metrics, transcript, messages };
  };

  const submitName = p.result.toolName ?? SUBMIT_RESULT;
  const toolsByName = new Map(p.tools.map((tool) => [tool.name, tool]));
  const tools = cachedTools([
    ...p.tools.map(({ run: _run, parse: _parse, ...definition }) => definition),
    ...withSubmitTool(
      p.continueFrom?.extraTools ?? [],
      submitToolDefinition(p.result.schema, p.result.description, submitName),
    ),
  ]);
  const system = cachedSystem(p.system);
  const history = p.continueFrom?.history ?? [];
  const messages: BetaMessageParam[] = [
    ...history,
    { role: 'user', content: [...acceptedSubmissions(history), { type: 'text', text: p.initialMessage }] },
  ];
  record({ kind: 'setup', model: p.model, system: p.system, tools: [...toolsByName.keys(), submitName] });
  record({ kind: 'user', turn: 1, content: p.initialMessage });
  const maxInvalid = p.result.maxInvalid ?? DEFAULT_MAX_INVALID;
  let invalidSubmissions = 0;
  let nudges = 0;
  // Raised after a turn is cut off at `max_tokens`, and kept: the model needed that much room once.
  let perCallLimit = p.maxTokensPerCall ?? DEFAULT_MAX_TOKENS_PER_CALL;
  let overloadWaitedMs = 0;
  let overloadRetries = 0;
  let lastAttempts = 0;
  // Tool results already replaced by a stub; never chosen again.
  const cleared = new Set<string>();
  const sleep = p.sleep ?? abortableSleep;
  /** The call, retried on overload with the run's policy; the wait is shown through `onEvent`. */
  const createWithOverloadRetry = async (
    call: (options: { middleware: Middleware[] }) => Promise<BetaMessage>,
  ): Promise<BetaMessage> => {
    // One watch over every attempt of this call, the SDK's and ours, so a failure says how many there were.
    const watch = watchModelCall();
    for (;;) {
      try {
        return await call({ middleware: [watch.middleware] });
      } catch (error) {
        lastAttempts = watch.attempts();
        const policy = p.overloadRetry;
        const wait =
          policy && isOverloaded(error)
            ? overloadDelay(policy, overloadRetries, overloadWaitedMs, p.random ?? Math.random)
            : null;
        if (wait === null) throw error;
        overloadRetries++;
        p.onEvent?.({
          type: 'retry',
          turn: calls.length + 1,
          status: 529,
          attempt: overloadRetries,
          waitMs: wait,
        });
        await sleep(wait, abort.signal);
        overloadWaitedMs += wait;
      }
    }
  };

  for (let turn = 1; ; turn++) {
    const overBefore = checkBudgets(p.budgets, calls, now() - started, turn);
    if (overBefore) return finish({ ok: false, failure: overBefore });
    p.onEvent?.({ type: 'turn', turn });

    if (p.context) {
      const clearings = clearOldToolResults(messages, p.context, cleared, submitName);
      if (clearings.length > 0) {
        const tokensFreed = clearings.reduce((sum, c) => sum + c.tokens, 0);
        record({ kind: 'context-cleared', turn, cleared: clearings, tokensFreed });
        p.onEvent?.({ type: 'context-cleared', turn, results: clearings.length, tokens: tokensFreed });
      }
    }
    const callStarted = now();
    const maxTokens = maxTokensFor(p.budgets, calls, perCallLimit);
    let response: BetaMessage;
    try {
      response = await createWithOverloadRetry(({ middleware }) =>
        p.client.beta.messages.create(
          {
            model: p.model,
            max_tokens: maxTokens,
            system,
            tools,
            messages: withMessageBreakpoint(messages),
            ...thinkingParams(p.thinking),
          },
          { signal: abort.signal, middleware },
        ),
      );
    } catch (error) {
      const call = {
        model: p.model,
        modelField: p.modelField,
        baseURL: p.client.baseURL,
        attempts: lastAttempts,
      };
      return finish({ ok: false, failure: apiFailure(error, p.budgets.wallTimeMs, now() - started, call) });
    }
    const call = callMetrics(response, now() - callStarted);
    calls.push(call);
    record({
      kind: 'assistant',
      turn,
      content: response.content,
      stopReason: response.stop_reason,
      usage: response.usage,
      durationMs: call.durationMs,
    });
    p.onEvent?.({
      type: 'response',
      turn,
      inputTokens: contextTokens(call),
      outputTokens: call.outputTokens,
      stopReason: call.stopReason,
    });
    // Passed back exactly as received, thinking blocks and their signatures included, as the API requires;
    // a turn cut off at max_tokens never enters the conversation (see below).
    if (response.stop_reason !== 'max_tokens')
      messages.push({ role: 'assistant', content: response.content });

    if (response.stop_reason === 'refusal') {
      const text = textOf(response.content) || 'no explanation given';
      return finish({ ok: false, failure: { kind: 'refusal', message: `the model refused: ${text}` } });
    }
    const overAfter = checkBudgets(p.budgets, calls, now() - started, turn);
    if (overAfter && overAfter.budget !== 'turns') return finish({ ok: false, failure: overAfter });
    if (response.stop_reason === 'max_tokens') {
      // A turn cut off at max_tokens may end in half a tool call (half a `write_file`): nothing of it runs, and
      // it never enters the conversation. The same request goes again with more room, or the phase fails.
      const raised = raisedLimit(p.budgets, calls, maxTokens);
      if (raised === null)
        return finish({
          ok: false,
          failure: truncatedFailure(p, response, turn, maxTokens, outputLeft(p.budgets, calls)),
        });
      p.onEvent?.({ type: 'truncated', turn, maxTokens, nextMaxTokens: raised });
      perCallLimit = raised;
      continue;
    }

    const toolUses = response.content.filter((b): b is BetaToolUseBlock => b.type === 'tool_use');
    if (toolUses.length === 0) {
      if (++nudges > MAX_NUDGES) {
        const message = `the model stopped ${nudges} times without calling ${submitName} (last stop reason: ${response.stop_reason})`;
        return finish({ ok: false, failure: { kind: 'no-result', message } });
      }
      const nudge = `Continue the task. When you are done, call the ${submitName} tool with your result; it is the only way to finish.`;
      messages.push({ role: 'user', content: [{ type: 'text', text: nudge }] });
      record({ kind: 'user', turn: turn + 1, content: nudge });
      continue;
    }

    // Every other tool call of the turn runs before a submission is judged: a `write_file` sent beside
    // `submit_result` is part of the work the summary describes.
    const results = new Map<string, BetaToolResultBlockParam>();
    for (const toolUse of toolUses) {
      if (toolUse.name === submitName) continue;
      results.set(toolUse.id, await runToolUse(toolUse, toolsByName, submitName, abort.signal));
      p.onEvent?.({
        type: 'tool',
        turn,
        name: toolUse.name,
        isError: results.get(toolUse.id)?.is_error === true,
      });
    }
    const failedTools = toolUses.filter((t) => results.get(t.id)?.is_error === true).map((t) => t.name);
    for (const toolUse of toolUses) {
      if (toolUse.name !== submitName) continue;
      if (failedTools.length > 0) {
        // The model wrote its result before it saw these fail: it must look at them first.
        const content = `Not accepted: ${failedTools.join(', ')} in the same turn failed (see its result). Fix that, then call ${submitName} again.`;
        results.set(toolUse.id, { type: 'tool_result', tool_use_id: toolUse.id, is_error: true, content });
        continue;
      }
      const checked = validateSubmission(p.result.schema, toolUse.input);
      if (checked.ok) {
        if (results.size > 0) record({ kind: 'user', turn: turn + 1, content: [...results.values()] });
        return finish({ ok: true, result: checked.value });
      }
      invalidSubmissions++;
      p.onEvent?.({ type: 'tool', turn, name: submitName, isError: true });
      if (invalidSubmissions >= maxInvalid) {
        const message = `${submitName} was invalid ${invalidSubmissions} times; last errors: ${checked.errors.join('; ')}`;
        return finish({ ok: false, failure: { kind: 'invalid-result', errors: checked.errors, message } });
      }
      const content = `The result is invalid; fix these fields and call ${submitName} again:\n${checked.errors.map((e) => `- ${e}`).join('\n')}`;
      results.set(toolUse.id, { type: 'tool_result', tool_use_id: toolUse.id, is_error: true, content });
    }
    // One tool_result per tool_use, in the order of the calls, and nothing else in the message.
    const ordered = toolUses.flatMap((t) => results.get(t.id) ?? []);
    messages.push({ role: 'user', content: ordered });
    record({ kind: 'user', turn: turn + 1, content: ordered });
  }
}

/** Runs one (non-submit) tool call; every failure becomes an `is_error` result for the model. */
async function runToolUse(
  toolUse: BetaToolUseBlock,
  toolsByName: Map<string, BetaRunnableTool>,
  submitName: string,
  signal: AbortSignal,
): Promise<BetaToolResultBlockParam> {
  const tool = toolsByName.get(toolUse.name);
  if (!tool) {
    const content = `Unknown tool "${toolUse.name}". Available: ${[...toolsByName.keys(), submitName].join(', ')}.`;
    return { type: 'tool_result', tool_use_id: toolUse.id, is_error: true, content };
  }
  // The SDK helper parses the input with the tool's zod schema and turns anything thrown into is_error.
  const outcome = await runRunnableTool(tool, toolUse.input, { toolUse, toolUseBlock: toolUse, signal });
  return {
    type: 'tool_result',
    tool_use_id: toolUse.id,
    content: outcome.content,
    ...(outcome.isError ? { is_error: true } : {}),
  };
}
/** The call's `max_tokens`: the per-call limit, capped by what is left of the output budget (thinking included). */
function maxTokensFor(budgets: AgentBudgets, calls: CallMetrics[], perCallLimit: number): number {
  return Math.max(1, Math.min(perCallLimit, outputLeft(budgets, calls)));
}

function outputLeft(budgets: AgentBudgets, calls: CallMetrics[]): number {
  return budgets.maxOutputTokens - calls.reduce((total, c) => total + c.outputTokens, 0);
}

/** Twice the cut-off limit, within the output budget and the SDK's non-streaming ceiling; null when no higher. */
function raisedLimit(budgets: AgentBudgets, calls: CallMetrics[], cutAt: number): number | null {
  const raised = Math.min(2 * cutAt, MAX_NONSTREAMING_TOKENS, outputLeft(budgets, calls));
  return raised > cutAt ? raised : null;
}

function truncatedFailure<R>(
  p: RunAgentParams<R>,
  response: BetaMessage,
  turn: number,
  maxTokens: number,
  left: number,
): AgentFailure {
  const key = p.configKey ?? 'the phase config';
  const cut = response.content.filter((b): b is BetaToolUseBlock => b.type === 'tool_use').map((b) => b.name);
  const thinking = response.usage.output_tokens_details?.thinking_tokens ?? 0;
  const message =
    `the model's answer in turn ${turn} was cut off at max_tokens (${maxTokens} tokens` +
    `${thinking > 0 ? `, ${thinking} of them thinking` : ''})` +
    `${cut.length > 0 ? `; its unfinished ${cut.join(', ')} call was not run` : ''}. ` +
    `Raise ${key}.maxOutputTokens (${p.budgets.maxOutputTokens}, ${left} left) or ${key}.maxTokensPerCall, or lower ${key}.effort, then retry the phase`;
  return { kind: 'truncated', maxTokens, message };
}

/** The request's thinking fields; absent settings are not sent, so the model's own default applies. */
function thinkingParams(thinking: ThinkingSettings | undefined) {
  return {
    ...(thinking?.mode ? { thinking: { type: thinking.mode } } : {}),
    ...(thinking?.effort ? { output_config: { effort: thinking.effort } } : {}),
  };
}

function callMetrics(response: BetaMessage, durationMs: number): CallMetrics {
  const u = response.usage;
  return {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: u.cache_read_input_tokens ?? 0,
    stopReason: response.stop_reason,
    durationMs,
  };
}

function textOf(content: BetaContentBlock[]): string {
  return content
    .flatMap((b) => (b.type === 'text' ? [b.text] : []))
    .join('\n')
    .trim();
}

/** Resolves after `ms`, or rejects as the SDK does when the run's wall-time budget aborts it. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new APIUserAbortError());
    const timer = setTimeout(resolve, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function apiFailure(
  error: unknown,
  wallTimeMs: number,
  elapsedMs: number,
  call: ModelCallContext,
): AgentFailure {
  if (error instanceof APIUserAbortError) {
    const message = `wall-time budget exceeded: ${elapsedMs} ms used of ${wallTimeMs} ms`;
    return { kind: 'budget', budget: 'wall-time', limit: wallTimeMs, used: elapsedMs, message };
  }
  return { kind: 'api', ...describeModelFailure(error, call) };
}

/** Tool results closing the previous phase's accepted submission, when a conversation goes on (monolithic baseline). */
function acceptedSubmissions(history: BetaMessageParam[]): BetaToolResultBlockParam[] {
  const last = history.at(-1);
  if (last?.role !== 'assistant' || !Array.isArray(last.content)) return [];
  return last.content.flatMap((block) =>
    block.type === 'tool_use'
      ? [{ type: 'tool_result' as const, tool_use_id: block.id, content: 'Accepted.' }]
      : [],
  );
}

/** The submit tool goes last, unless a continued conversation already lists it (its tool order must not change). */
function withSubmitTool(extra: BetaToolUnion[], submit: BetaToolUnion): BetaToolUnion[] {
  return extra.some((tool) => 'name' in tool && tool.name === (submit as { name: string }).name)
    ? extra
    : [...extra, submit];
}
