import type { Picker } from '../seeded-random.ts';

/** Slot fillers shared by the templates. All invented for this project. */
export const PEOPLE = [
  'Amara Okafor',
  'Lukas Brandt',
  'Priya Raman',
  'Tomás Herrera',
  'Mei Lin',
  'Jonas Eriksen',
  'Fatima Haddad',
  'Daniel Kowalski',
  'Sofia Marchetti',
  'Kenji Watanabe',
  'Grace Mensah',
  'Oliver Dubois',
  'Leila Farahani',
  'Sam Whitaker',
] as const;

export const COMPANIES = [
  'Northwind Logistics',
  'Bluefin Analytics',
  'Cedar & Pine Furniture',
  'Helios Solar',
  'Quarry Lane Books',
  'Vantage Health',
  'Kestrel Robotics',
  'Marigold Foods',
  'Orbit Telecom',
  'Tidewater Insurance',
  'Lumen Learning Labs',
  'Redstone Builders',
] as const;

export const PRODUCTS = [
  'wireless earbuds',
  'standing desk',
  'espresso machine',
  'trail running shoes',
  'robot vacuum',
  'e-reader',
  'mechanical keyboard',
  'air purifier',
  'electric kettle',
  'hiking backpack',
  'smart thermostat',
  'cast-iron skillet',
] as const;

export const CITIES = [
  'Lisbon',
  'Nairobi',
  'Osaka',
  'Montreal',
  'Kraków',
  'Valparaíso',
  'Hanoi',
  'Edinburgh',
  'Marrakesh',
  'Auckland',
  'Tallinn',
  'Cusco',
] as const;

export const LANGUAGES = ['French', 'Spanish', 'German', 'Italian', 'Portuguese', 'Japanese', 'Korean', 'Chinese', 'Dutch', 'Polish'] as const;

export const TOPICS = [
  'remote work',
  'urban beekeeping',
  'battery recycling',
  'sleep hygiene',
  'open-source licensing',
  'sourdough baking',
  'four-day work weeks',
  'electric buses',
  'public libraries',
  'coral reef restoration',
  'password managers',
  'community gardens',
] as const;

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

export const TEAMS = ['platform', 'billing', 'mobile', 'search', 'data', 'support tooling', 'checkout', 'identity'] as const;

export function dateText(pick: Picker): string {
  return `${pick.one(MONTHS)} ${pick.int(1, 28)}, ${pick.int(2019, 2025)}`;
}

export function amountUsd(pick: Picker): string {
  return `$${pick.int(12, 9_800).toLocaleString('en-US')}.${String(pick.int(0, 99)).padStart(2, '0')}`;
}

const FINDINGS = [
  'Customer sign-ups grew {n}% over the quarter, mostly from referrals.',
  'The migration to the new billing system slipped by {n} days because of a data-format mismatch.',
  'Support tickets about login failures fell by {n}% after the password-reset redesign.',
  'Two of the {n} regional warehouses are running above 90% capacity.',
  'The pilot in {city} showed a {n}% reduction in delivery times.',
  'Energy costs rose {n}% year over year, driven by higher winter demand.',
  'A survey of {n} employees found that most prefer asynchronous status updates.',
  'The team shipped {n} features but deferred the offline mode to next quarter.',
  'Average response time on the public API improved from {n}0 ms to {n} ms.',
  'Churn among annual subscribers stayed flat at {n}%.',
  'Legal asked for a review of the data-retention policy before {month}.',
  'Hiring for the {team} team is {n} weeks behind plan.',
  'The new onboarding flow cut the time to first value by about {n} minutes.',
  'Vendor contracts worth {amount} come up for renewal next month.',
  'Inventory shrinkage was {n}% higher than forecast in the {city} store.',
  'The board approved a budget of {amount} for the accessibility audit.',
];

const OPINIONS = [
  '{person} argued that the priority should be reliability over new features.',
  '{person} disagreed, pointing out that two large customers are waiting on the integration.',
  'There was broad agreement that the documentation needs an owner.',
  '{person} proposed a two-week freeze on non-critical changes.',
  'Several people worried that the timeline underestimates testing effort.',
  '{person} will draft a proposal and circulate it by {month}.',
  'The group decided to revisit the pricing question at the next meeting.',
  '{person} noted that competitors have already launched a similar offer in {city}.',
];

/** One sentence with its slots filled. */
function fill(pick: Picker, sentence: string): string {
  return sentence
    .replaceAll('{n}', () => String(pick.int(2, 60)))
    .replaceAll('{city}', () => pick.one(CITIES))
    .replaceAll('{person}', () => pick.one(PEOPLE))
    .replaceAll('{team}', () => pick.one(TEAMS))
    .replaceAll('{month}', () => pick.one(MONTHS))
    .replaceAll('{amount}', () => amountUsd(pick));
}

/** A business document of `paragraphs` paragraphs: long inputs for summarization and extraction. */
export function businessDocument(pick: Picker, paragraphs: number): string {
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const sentences = [...pick.some(FINDINGS, pick.int(2, 4)), ...pick.some(OPINIONS, pick.int(1, 2))];
    out.push(sentences.map((s) => fill(pick, s)).join(' '));
  }
  return out.join('\n\n');
}

const REVIEW_PARTS = {
  praise: [
    'Setup took five minutes.',
    'It feels solid and well made.',
    'Battery life is better than advertised.',
    'It is quiet enough for a small flat.',
    'The app is simple and does what it says.',
  ],
  complaint: [
    'The manual is confusing.',
    'It stopped working after three weeks.',
    'Shipping took far longer than promised.',
    'It is louder than I expected.',
    'Customer service never replied to my email.',
  ],
  neutral: ['I use it most days.', 'It replaced an older model.', 'I bought it on sale.', 'My partner uses it more than I do.', 'It comes in three colours.'],
};

/** A short customer review with a leaning the classifier prompts can ask about. */
export function productReview(pick: Picker, product: string): string {
  const lean = pick.one(['praise', 'complaint', 'mixed'] as const);
  const parts = lean === 'mixed' ? [pick.one(REVIEW_PARTS.praise), pick.one(REVIEW_PARTS.complaint)] : pick.some(REVIEW_PARTS[lean], 2);
  return `I bought the ${product} ${pick.int(1, 11)} months ago. ${pick.one(REVIEW_PARTS.neutral)} ${parts.join(' ')}`;
}
