// The markdown escaping rule lives in src/report/markdown.ts; app handlers still import it from here.
// TODO(lead): point src/app/handlers/* at ../../report/markdown.ts and delete this file.
export { codeBlock, codeSpan, excerptBlock, inline, table } from '../report/markdown.ts';
