import { businessDocument, COMPANIES, PEOPLE, productReview, PRODUCTS, TEAMS, TOPICS, CITIES, dateText } from './fillers.ts';
import { single, system, user, type PromptTemplate } from './template.ts';

const AUDIENCES = ['an executive', 'a new team member', 'a customer', 'a ten-year-old', 'the finance team', 'a journalist'] as const;
const LENGTHS = ['one sentence', 'three bullet points', 'fifty words', 'two short paragraphs', 'five bullet points'] as const;

export const SUMMARIZATION_TEMPLATES: PromptTemplate[] = [
  {
    name: 'report-for-audience',
    build: (p) =>
      single(`Summarize this quarterly update from ${p.one(COMPANIES)} for ${p.one(AUDIENCES)} in ${p.one(LENGTHS)}:\n\n${businessDocument(p, p.int(2, 4))}`),
  },
  {
    name: 'meeting-notes',
    build: (p) =>
      single(
        `Here are the raw notes from the ${p.one(TEAMS)} team meeting on ${dateText(p)}. Summarize the decisions and open questions.\n\n${businessDocument(p, p.int(1, 3))}`,
        'You write crisp meeting summaries. Use headings "Decisions" and "Open questions".',
      ),
  },
  // Long input on purpose: a big prompt with a small expected answer.
  {
    name: 'long-document-tldr',
    build: (p) => single(`TL;DR of the following document, please:\n\n${businessDocument(p, p.int(6, 10))}`),
  },
  {
    name: 'key-points',
    build: (p) => single(`List the key points of this memo about ${p.one(TOPICS)}:\n\n${businessDocument(p, p.int(2, 3))}`),
  },
  {
    name: 'reviews-digest',
    build: (p) => {
      const product = p.one(PRODUCTS);
      const reviews = Array.from({ length: p.int(3, 6) }, (_, i) => `Review ${i + 1}: ${productReview(p, product)}`).join('\n');
      return single(`Summarize what customers say about the ${product} in ${p.one(LENGTHS)}.\n\n${reviews}`);
    },
  },
  {
    name: 'email-thread',
    build: (p) => {
      const [a, b] = p.some(PEOPLE, 2);
      return single(
        `Summarize this email thread between ${a} and ${b} and say who owes the next reply.\n\n` +
          `From ${a}: ${businessDocument(p, 1)}\n\nFrom ${b}: ${businessDocument(p, 1)}\n\nFrom ${a}: Thanks, can you confirm by ${dateText(p)}?`,
      );
    },
  },
  {
    name: 'headline',
    build: (p) => single(`Write a one-line headline that summarizes this paragraph:\n\n${businessDocument(p, 1)}`),
  },
  {
    name: 'incident-summary',
    build: (p) =>
      single(
        `Summarize this incident timeline for the status page (no internal names):\n\n` +
          `${p.int(0, 23)}:${String(p.int(0, 59)).padStart(2, '0')} alerts fired for elevated error rates in ${p.one(CITIES)}.\n` +
          `${businessDocument(p, 2)}\nThe issue was mitigated after ${p.int(12, 140)} minutes by rolling back the ${p.one(TEAMS)} deploy.`,
        'You are an incident communications writer. Be factual and calm.',
      ),
  },
  {
    name: 'summary-then-shorter',
    build: (p) => {
      const doc = businessDocument(p, p.int(2, 3));
      return {
        messages: [
          user(`Summarize this:\n\n${doc}`),
          { role: 'assistant', content: `The update covers ${p.one(TOPICS)}, progress on several projects, and a few open risks.` },
          user(`Shorter, in ${p.one(LENGTHS)}, and mention numbers.`),
        ],
      };
    },
  },
  {
    name: 'json-summary',
    build: (p) => ({
      messages: [
        system('Reply with a JSON object: {"summary": string, "sentiment": "positive"|"neutral"|"negative", "action_items": string[]}.'),
        user(`Summarize as JSON:\n\n${businessDocument(p, p.int(1, 3))}`),
      ],
      jsonMode: true,
    }),
  },
  {
    name: 'compare-two',
    build: (p) => {
      const [a, b] = p.some(COMPANIES, 2);
      return single(
        `Summarize the differences between these two updates, ${a} first and ${b} second.\n\nA: ${businessDocument(p, 1)}\n\nB: ${businessDocument(p, 1)}`,
      );
    },
  },
  {
    name: 'abstract',
    build: (p) =>
      single(
        `Write a short abstract (under ${p.one([80, 100, 150])} words) for a report on ${p.one(TOPICS)} whose findings are:\n\n${businessDocument(p, p.int(2, 4))}`,
      ),
  },
  {
    name: 'changelog-summary',
    build: (p) => {
      const lines = Array.from(
        { length: p.int(5, 9) },
        () =>
          `- ${p.one(['fix', 'feat', 'chore', 'perf'])}(${p.one(TEAMS)}): ${p.one(TOPICS)} ${p.one(['handling', 'cleanup', 'support', 'timeouts', 'retries'])}`,
      );
      return single(`Summarize this changelog for release notes users will read:\n${lines.join('\n')}`);
    },
  },
];
