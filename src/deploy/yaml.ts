/**
 * YAML text for the generated files, written by the `yaml` package. Every reader of these files
 * speaks YAML 1.1 (Compose v1's PyYAML, the docker CLI's and kubectl's go-yaml), so the text is
 * written as 1.1: `on`, `no`, `0600` or `1:20` as strings are quoted, and file modes are written
 * as octal (0400), which all of them read as the number the API expects.
 */
import { Document, isPair, isScalar, type Scalar, visit } from 'yaml';

export type YamlScalar = string | number | boolean;
export type YamlValue = YamlScalar | readonly YamlValue[] | YamlMapping;
export interface YamlMapping {
  readonly [key: string]: YamlValue;
}

/** Keys whose numbers are Unix file modes: written in octal, as people read them. */
const FILE_MODE_KEYS = new Set(['mode', 'defaultMode']);

/** A sequence of scalars is written on one line, [a, b], when that line stays this short. */
const FLOW_WIDTH = 100;

/**
 * One YAML document as text, ending with a newline: block style, scalar lists in flow style when
 * short, no line folding (a PEERS list of 100 generals stays on one line).
 */
export function yamlText(value: YamlMapping | object): string {
  const document = new Document(value, { version: '1.1', aliasDuplicateObjects: false });
  visit(document, {
    Pair(_, pair) {
      if (FILE_MODE_KEYS.has(String(isScalar(pair.key) ? pair.key.value : '')) && isScalar(pair.value)) {
        if (typeof pair.value.value === 'number') pair.value.format = 'OCT';
      }
    },
    Seq(_, sequence, path) {
      if (!sequence.items.every((item) => isScalar(item))) return;
      const parent = path.at(-1);
      const key = isPair(parent) && isScalar(parent.key) ? String(parent.key.value) : '';
      // Two spaces per enclosing mapping or sequence, as the block layout indents them.
      const indent = 2 * Math.max(0, path.filter((node) => !isPair(node) && node !== document).length - 1);
      const items = sequence.items.map((item) => flowText(item as Scalar));
      if (indent + key.length + 4 + items.join(', ').length <= FLOW_WIDTH) sequence.flow = true;
    },
  });
  return document.toString({
    lineWidth: 0,
    flowCollectionPadding: false,
    defaultStringType: 'PLAIN',
    defaultKeyType: 'PLAIN',
  });
}

/** Roughly how a scalar reads inside [ ]: enough to decide whether the line fits. */
function flowText(item: Scalar): string {
  return typeof item.value === 'string' ? JSON.stringify(item.value) : String(item.value);
}

/** `# ` before each header line, a bare `#` for an empty one. */
export function commentBlock(lines: readonly string[]): string {
  return lines.map((line) => (line === '' ? '#\n' : `# ${line}\n`)).join('');
}

/** A file of several documents (Kubernetes manifests), each after a `---` line, under a header. */
export function yamlStream(header: readonly string[], documents: readonly (YamlMapping | object)[]): string {
  return commentBlock(header) + documents.map((document) => `---\n${yamlText(document)}`).join('');
}
