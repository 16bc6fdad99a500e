import { describe, expect, it } from 'vitest';
import { upsertGeneratedBlock } from './markdown-block.ts';

const block = (content: string) => ({ id: 'bench:overhead', heading: '## Gateway overhead', content });

describe('upsertGeneratedBlock', () => {
  it('creates the file with a title, the heading and the marked block', () => {
    expect(upsertGeneratedBlock('', block('| a |'))).toBe(
      '# Performance\n\n## Gateway overhead\n\n<!-- bench:overhead:begin -->\n| a |\n<!-- bench:overhead:end -->\n',
    );
  });

  it('replaces only the block, keeping other sections and notes around it', () => {
    const doc = [
      '# Performance',
      '',
      '## Gateway overhead',
      '',
      'Hand-written note before.',
      '<!-- bench:overhead:begin -->',
      'old numbers',
      '<!-- bench:overhead:end -->',
      'Hand-written note after.',
      '',
      '## Router',
      '',
      'router numbers',
      '',
    ].join('\n');
    const next = upsertGeneratedBlock(doc, block('new numbers'));
    expect(next).toBe(doc.replace('old numbers', 'new numbers'));
    expect(upsertGeneratedBlock(next, block('new numbers'))).toBe(next);
  });

  it('puts the block under an existing heading that has none yet', () => {
    const doc = '# Performance\n\n## Gateway overhead\n\nnotes\n\n## Router\n';
    expect(upsertGeneratedBlock(doc, block('x'))).toBe(
      '# Performance\n\n## Gateway overhead\n\n<!-- bench:overhead:begin -->\nx\n<!-- bench:overhead:end -->\n\nnotes\n\n## Router\n',
    );
  });

  it('appends the section to a file that lacks it', () => {
    const doc = '# Performance\n\n## Router\n\nr\n';
    expect(upsertGeneratedBlock(doc, block('x'))).toBe(
      '# Performance\n\n## Router\n\nr\n\n## Gateway overhead\n\n<!-- bench:overhead:begin -->\nx\n<!-- bench:overhead:end -->\n',
    );
  });
});
