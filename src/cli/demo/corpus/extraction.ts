import { amountUsd, businessDocument, CITIES, COMPANIES, dateText, PEOPLE, PRODUCTS, TEAMS } from './fillers.ts';
import { functionTool, single, system, user, type PromptTemplate } from './template.ts';

function email(name: string): string {
  return `${name.split(' ')[0]!.toLowerCase()}.${name.split(' ').at(-1)!.toLowerCase()}@example.com`;
}

export const EXTRACTION_TEMPLATES: PromptTemplate[] = [
  {
    name: 'names-and-dates',
    build: (p) =>
      single(
        `Extract all person names and dates from the following text:\n\n${p.one(PEOPLE)} met ${p.one(PEOPLE)} on ${dateText(p)}. ${businessDocument(p, 1)} The follow-up is set for ${dateText(p)}.`,
      ),
  },
  {
    name: 'invoice-fields',
    build: (p) => ({
      messages: [
        system('Return JSON with keys vendor, invoice_number, date, total_usd, due_date. Use null for missing fields.'),
        user(
          `INVOICE #${p.int(1000, 99999)}\nFrom: ${p.one(COMPANIES)}\nIssued: ${dateText(p)}\nItems: ${p.int(1, 9)} × ${p.one(PRODUCTS)}\nTotal due: ${amountUsd(p)}\nPayment terms: net ${p.one([15, 30, 45, 60])}`,
        ),
      ],
      jsonMode: true,
    }),
  },
  {
    name: 'contact-details',
    build: (p) => {
      const person = p.one(PEOPLE);
      return single(
        `Pull out the contact details (name, email, phone, city) from this signature:\n\n--\n${person}\n${p.one(['Head of Operations', 'Account Manager', 'Staff Engineer', 'Procurement Lead'])}, ${p.one(COMPANIES)}\n${email(person)} | +${p.int(1, 99)} ${p.int(100, 999)} ${p.int(1000, 9999)}\n${p.one(CITIES)} office`,
      );
    },
  },
  {
    name: 'action-items',
    build: (p) => single(`Extract every action item with its owner and deadline as a list from these notes:\n\n${businessDocument(p, p.int(2, 4))}`),
  },
  {
    name: 'numbers-table',
    build: (p) => single(`Find all percentages and money amounts in this text and list them with what they refer to:\n\n${businessDocument(p, p.int(2, 3))}`),
  },
  {
    name: 'order-tool-call',
    build: (p) => ({
      messages: [
        user(
          `Hi, I'd like to order ${p.int(1, 5)} ${p.one(PRODUCTS)} delivered to our ${p.one(CITIES)} office before ${dateText(p)}. Bill it to ${p.one(COMPANIES)}.`,
        ),
      ],
      tools: [
        functionTool(
          'create_order',
          'Create a customer order from the request.',
          {
            product: { type: 'string' },
            quantity: { type: 'integer', minimum: 1 },
            city: { type: 'string' },
            deliver_by: { type: 'string', format: 'date' },
            billing_company: { type: 'string' },
          },
          ['product', 'quantity', 'city'],
        ),
      ],
    }),
  },
  {
    name: 'resume-skills',
    build: (p) => {
      const skills = p.some(
        ['SQL', 'Kubernetes', 'negotiation', 'Figma', 'Python', 'public speaking', 'Spanish', 'budgeting', 'React', 'statistics'],
        p.int(3, 5),
      );
      return single(
        `Extract the skills and years of experience from this CV excerpt as a list:\n\n${p.one(PEOPLE)} spent ${p.int(2, 9)} years at ${p.one(COMPANIES)} working with ${skills.join(', ')}. Before that, ${p.int(1, 4)} years as a ${p.one(['analyst', 'teacher', 'consultant', 'designer'])} in ${p.one(CITIES)}.`,
      );
    },
  },
  {
    name: 'address-parse',
    build: (p) => ({
      messages: [
        system('You convert free-form addresses to JSON: {"street","number","city","postcode","country"}.'),
        user(
          `${p.one(['Ship to', 'Send it to', 'My address is'])}: ${p.int(1, 240)} ${p.one(['Harbour Road', 'Rua das Flores', 'Maple Avenue', 'Kirkgate', 'Calle Mayor'])}, ${p.int(10000, 99999)} ${p.one(CITIES)}`,
        ),
      ],
      jsonMode: true,
    }),
  },
  {
    name: 'entities-in-news',
    build: (p) =>
      single(
        `List all organizations and locations mentioned:\n\n${p.one(COMPANIES)} announced a partnership with ${p.one(COMPANIES)} to open a facility in ${p.one(CITIES)}. ${businessDocument(p, 1)}`,
      ),
  },
  {
    name: 'ticket-fields',
    build: (p) =>
      single(
        `From the following support ticket, extract: product, problem, customer sentiment, urgency (low/medium/high).\n\nTicket: My ${p.one(PRODUCTS)} ${p.one(['will not turn on', 'keeps disconnecting', 'arrived damaged', 'makes a grinding noise'])} since ${dateText(p)}. ${p.one(['I need this fixed today.', 'No rush, just letting you know.', 'This is the second time this happened!'])}`,
        'You are a support triage assistant. Answer as "field: value" lines.',
      ),
  },
  {
    name: 'dates-normalize',
    build: (p) =>
      single(
        `Extract every date in the text and rewrite it in ISO 8601:\n\n"The kickoff was on ${dateText(p)}, the review moved to ${p.int(1, 28)}/${p.int(1, 12)}/${p.int(2020, 2025)}, and the launch is planned for ${p.one(['next Tuesday', 'the first Monday of ' + p.one(['March', 'June', 'October'])])}."`,
      ),
  },
  {
    name: 'table-from-text',
    build: (p) => {
      const rows = Array.from({ length: p.int(3, 6) }, () => `${p.one(PEOPLE)} from ${p.one(TEAMS)} logged ${p.int(2, 40)} hours on ${p.one(COMPANIES)}`);
      return single(`Turn these sentences into a markdown table with columns person, team, hours, client:\n${rows.join('. ')}.`);
    },
  },
  {
    name: 'calendar-tool',
    build: (p) => ({
      messages: [
        system('You schedule meetings with the calendar tool. Ask nothing; infer what you can.'),
        user(
          `Set up a ${p.one([30, 45, 60])}-minute call with ${p.some(PEOPLE, 2).join(' and ')} on ${dateText(p)} at ${p.int(8, 17)}:00 about the ${p.one(TEAMS)} roadmap.`,
        ),
      ],
      tools: [
        functionTool(
          'schedule_meeting',
          'Create a calendar event.',
          {
            title: { type: 'string' },
            attendees: { type: 'array', items: { type: 'string' } },
            start: { type: 'string', format: 'date-time' },
            duration_minutes: { type: 'integer' },
          },
          ['title', 'attendees', 'start'],
        ),
      ],
    }),
  },
];
