import { businessDocument, COMPANIES, productReview, PRODUCTS, TEAMS, TOPICS } from './fillers.ts';
import { assistant, functionTool, single, system, user, type PromptTemplate } from './template.ts';

const TICKET_PROBLEMS = [
  'I was charged twice this month',
  'the app crashes when I open settings',
  'how do I export my data?',
  'please delete my account',
  'the delivery never arrived',
  'can I upgrade to the team plan?',
  'the password reset email never comes',
  'your invoice has the wrong VAT number',
] as const;

const HEADLINES = [
  'Central bank holds rates steady for third month',
  'Local team wins championship after extra time',
  'New battery chemistry promises cheaper storage',
  'City council approves bike lane expansion',
  'Streaming service raises prices in twelve markets',
  'Researchers map deep-sea volcano',
  'Chipmaker reports record quarterly revenue',
  'Film festival opens with documentary on glaciers',
] as const;

export const CLASSIFICATION_TEMPLATES: PromptTemplate[] = [
  {
    name: 'review-sentiment',
    build: (p) => single(`Classify the sentiment of this review as positive, negative or mixed:\n\n${productReview(p, p.one(PRODUCTS))}`),
  },
  {
    name: 'ticket-routing',
    build: (p) =>
      single(
        `Ticket: "${p.one(TICKET_PROBLEMS)}"`,
        `Classify each support ticket into exactly one category: billing, bug, account, shipping, sales, other. Reply with the category only.`,
      ),
  },
  {
    name: 'news-topic',
    build: (p) => single(`Which category does this headline belong to: politics, economy, sports, science, culture, technology?\n\n"${p.one(HEADLINES)}"`),
  },
  {
    name: 'spam-or-not',
    build: (p) =>
      single(
        `Label this message as spam or not spam:\n\n${p.one([
          `Congratulations! You have won a ${p.one(PRODUCTS)}. Click here within 24 hours to claim it.`,
          `Hi, the ${p.one(TEAMS)} sync moved to ${p.int(9, 16)}:00 tomorrow, same room.`,
          `URGENT: your account at ${p.one(COMPANIES)} will be closed. Confirm your password now.`,
          `Your order of ${p.int(1, 4)} ${p.one(PRODUCTS)} has shipped and should arrive on ${p.one(['Monday', 'Thursday', 'Friday'])}.`,
        ])}`,
      ),
  },
  {
    name: 'intent-few-shot',
    build: (p) => ({
      messages: [
        system('Classify the user intent as one of: book_flight, cancel_booking, check_status, complain, smalltalk.'),
        user('I need to get to Oslo next Friday.'),
        assistant('book_flight'),
        user('Where is my booking at?'),
        assistant('check_status'),
        user(
          p.one([
            'Cancel my trip please, plans changed.',
            'Your service was awful last time.',
            'How is your day going?',
            `Can you find me a seat to ${p.one(['Lima', 'Seoul', 'Dakar', 'Perth'])} in ${p.one(['May', 'August', 'December'])}?`,
          ]),
        ),
      ],
    }),
  },
  {
    name: 'priority',
    build: (p) =>
      single(
        `Categorize the priority of this bug report as P0, P1, P2 or P3 and give one reason:\n\n"The ${p.one(TEAMS)} service ${p.one(['returns 500 for every request', 'shows a typo on the settings page', 'is slow for users in one region', 'loses some events under heavy load'])} since the ${p.one(['morning', 'last deploy', 'weekend'])}."`,
      ),
  },
  {
    name: 'language-id',
    build: (p) =>
      single(
        `Which language is this sentence written in? "${p.one(['Où se trouve la gare la plus proche ?', 'Ich hätte gern einen Kaffee, bitte.', 'Il treno è in ritardo di dieci minuti.', 'Dziękuję za pomoc wczoraj.', 'Het regent al de hele dag.', 'Obrigado pela paciência.'])}"`,
      ),
  },
  {
    name: 'multi-label-json',
    build: (p) => ({
      messages: [
        system('Return JSON {"labels": string[]} choosing any of: pricing, performance, usability, support, reliability.'),
        user(`Label this feedback: ${productReview(p, p.one(PRODUCTS))}`),
      ],
      jsonMode: true,
    }),
  },
  {
    name: 'toxicity',
    build: (p) =>
      single(
        `Is the following comment toxic, borderline or fine? Answer with one word.\n\n"${p.one(['This is the third time you broke the build, please run the tests.', 'Great write-up, thanks for sharing!', 'Nobody asked for your opinion.', 'I disagree with the approach but I see why you chose it.'])}"`,
      ),
  },
  {
    name: 'document-type',
    build: (p) => single(`What kind of document is this (memo, contract, invoice, press release, meeting notes)?\n\n${businessDocument(p, 1)}`),
  },
  {
    name: 'label-tool',
    build: (p) => ({
      messages: [user(`Label this customer message and record it: "${p.one(TICKET_PROBLEMS)}"`)],
      tools: [
        functionTool(
          'record_label',
          'Store the category of a customer message.',
          { category: { type: 'string', enum: ['billing', 'bug', 'account', 'shipping', 'sales', 'other'] }, confidence: { type: 'number' } },
          ['category'],
        ),
      ],
    }),
  },
  {
    name: 'topic-of-essay',
    build: (p) =>
      single(`In one word, what is the main category of a blog post about ${p.one(TOPICS)}: environment, technology, health, work, food or society?`),
  },
  {
    name: 'batch-sentiment',
    build: (p) => {
      const product = p.one(PRODUCTS);
      const items = Array.from({ length: p.int(3, 5) }, (_, i) => `${i + 1}. ${productReview(p, product)}`).join('\n');
      return single(`Classify each of these reviews as positive, negative or mixed. Answer as "number: label".\n\n${items}`);
    },
  },
];
