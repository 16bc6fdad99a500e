import { businessDocument, CITIES, COMPANIES, PRODUCTS, TOPICS } from './fillers.ts';
import { functionTool, single, system, user, type PromptTemplate } from './template.ts';

const FACT_QUESTIONS = [
  'Why is the sky blue?',
  'What is the difference between weather and climate?',
  'How do vaccines train the immune system?',
  'What causes the seasons on Earth?',
  'Who invented the printing press with movable type in Europe?',
  'What is the boiling point of water at high altitude and why does it change?',
  'How does a refrigerator move heat out of its inside?',
  'What is an index fund?',
  'Why do cats purr?',
  'How does GPS determine your position?',
  'What is the tallest mountain in Africa?',
  'What does a central bank do?',
  'How do noise-cancelling headphones work?',
  'What is photosynthesis?',
] as const;

export const QA_TEMPLATES: PromptTemplate[] = [
  { name: 'general-fact', build: (p) => single(p.one(FACT_QUESTIONS)) },
  {
    name: 'fact-for-kids',
    build: (p) => single(p.one(FACT_QUESTIONS), 'You explain things to curious children aged 8 to 10, in three sentences at most.'),
  },
  {
    name: 'reading-comprehension',
    build: (p) => single(`Read the passage and answer: what is the biggest risk mentioned?\n\n${businessDocument(p, p.int(2, 3))}`),
  },
  {
    name: 'travel-question',
    build: (p) => single(`What is the best time of year to visit ${p.one(CITIES)}, and what should I pack?`),
  },
  {
    name: 'product-question',
    build: (p) => single(`Is a ${p.one(PRODUCTS)} worth buying for a small apartment? What should I look for?`),
  },
  {
    name: 'definition',
    build: (p) =>
      single(
        `What does "${p.one(['amortization', 'latency', 'idempotent', 'photosynthesis', 'inflation', 'biodiversity', 'compound interest', 'encryption at rest'])}" mean? Give an example.`,
      ),
  },
  {
    name: 'weather-tool',
    build: (p) => ({
      messages: [user(`Do I need an umbrella in ${p.one(CITIES)} ${p.one(['today', 'tomorrow', 'this weekend'])}?`)],
      tools: [
        functionTool('get_forecast', 'Weather forecast for a city.', { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } }, ['city']),
      ],
    }),
  },
  {
    name: 'policy-lookup',
    build: (p) =>
      single(
        `Can I return an opened ${p.one(PRODUCTS)} after ${p.int(10, 45)} days?`,
        `You answer questions for ${p.one(COMPANIES)} using this policy only: unopened items can be returned within 30 days; opened items within 14 days if faulty; refunds take 5 business days.`,
      ),
  },
  {
    name: 'pros-cons',
    build: (p) => single(`What are the main arguments for and against ${p.one(TOPICS)}?`),
  },
  {
    name: 'short-answer-json',
    build: (p) => ({
      messages: [system('Answer with JSON {"answer": string, "confidence": number between 0 and 1}.'), user(p.one(FACT_QUESTIONS))],
      jsonMode: true,
    }),
  },
  {
    name: 'history',
    build: (p) =>
      single(
        `Briefly, what happened during ${p.one(['the construction of the Panama Canal', 'the first Moon landing', 'the invention of the telephone', 'the fall of the Berlin Wall', 'the discovery of penicillin'])}?`,
      ),
  },
  {
    name: 'follow-up-question',
    build: (p) => ({
      messages: [
        user(p.one(FACT_QUESTIONS)),
        { role: 'assistant', content: 'Good question. In short, it comes down to a few physical processes working together.' },
        user('Can you go one level deeper and give a concrete example?'),
      ],
    }),
  },
  {
    name: 'search-tool',
    build: (p) => ({
      messages: [
        system('Use the search tool when you need current information.'),
        user(`Who is the current CEO of ${p.one(COMPANIES)} and when did they start?`),
      ],
      tools: [functionTool('web_search', 'Search the web.', { query: { type: 'string' } }, ['query'])],
    }),
  },
];
