// Checks Cypher statements with Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support, the engine behind Neo4j's editors and the VS Code plugin).
//
// stdin:  a JSON list of {"name", "statement", "parameters"?, "language"?}
// stdout: a JSON list of {"name", "errors": [...], "warnings": [...]}, one per input, same order;
//         each problem is {"message", "line", "column"} (1-based, where the parser points).
// The exit status is 0 whenever the input could be read, so the caller decides what fails.
//
// Parameters are handed to the library as the schema's known parameters: a statement that uses
// a $parameter its caller does not supply is reported as an error, which is what we want.

import { lintCypherQuery } from '@neo4j-cypher/language-support';

const ERROR = 1; // vscode-languageserver DiagnosticSeverity.Error
const DEFAULT_LANGUAGE = 'CYPHER 5'; // Neo4j 5 and 2025.x servers still default to Cypher 5

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function problem(diagnostic) {
  return {
    message: diagnostic.message,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
  };
}

function lintOne(entry) {
  const schema = {
    parameters: entry.parameters ?? {},
    defaultLanguage: entry.language ?? DEFAULT_LANGUAGE,
  };
  const { diagnostics } = lintCypherQuery(entry.statement, schema);
  return {
    name: entry.name,
    errors: diagnostics.filter((d) => d.severity === ERROR).map(problem),
    warnings: diagnostics.filter((d) => d.severity !== ERROR).map(problem),
  };
}

const entries = JSON.parse(await readStdin());
if (!Array.isArray(entries)) {
  process.stderr.write('cypher-lint: expected a JSON list of statements on stdin\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify(entries.map(lintOne)) + '\n');
