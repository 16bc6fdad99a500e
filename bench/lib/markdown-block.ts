/**
 * Keeps a generated block inside a hand-written markdown file: the block sits between
 * `<!-- id:begin -->` and `<!-- id:end -->` under its `## heading`, and regenerating it leaves
 * everything else (other sections, notes written around the block) as it was.
 */
export interface GeneratedBlock {
  /** Marker id, e.g. `bench:overhead`. */
  id: string;
  /** The section heading the block lives under, e.g. `## Gateway overhead`. */
  heading: string;
  content: string;
}

function markers(id: string): { begin: string; end: string } {
  return { begin: `<!-- ${id}:begin -->`, end: `<!-- ${id}:end -->` };
}

export function upsertGeneratedBlock(doc: string, block: GeneratedBlock, title = '# Performance'): string {
  const { begin, end } = markers(block.id);
  const wrapped = `${begin}\n${block.content.trim()}\n${end}`;
  const beginAt = doc.indexOf(begin);
  const endAt = doc.indexOf(end);
  if (beginAt !== -1 && endAt > beginAt) return doc.slice(0, beginAt) + wrapped + doc.slice(endAt + end.length);

  const lines = doc.split('\n');
  const headingAt = lines.findIndex((l) => l.trim() === block.heading);
  if (headingAt !== -1) {
    lines.splice(headingAt + 1, 0, '', wrapped);
    return lines.join('\n');
  }
  const base = doc.trim() === '' ? `${title}\n` : doc.replace(/\n*$/, '\n');
  return `${base}\n${block.heading}\n\n${wrapped}\n`;
}
