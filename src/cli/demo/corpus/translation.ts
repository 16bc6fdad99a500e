import { CITIES, dateText, LANGUAGES, PEOPLE, PRODUCTS, TOPICS } from './fillers.ts';
import { assistant, single, system, user, type PromptTemplate } from './template.ts';

const PHRASES = [
  'Where can I buy a ticket for the next train?',
  'The meeting has been moved to Thursday afternoon.',
  'Please keep the receipt for your records.',
  'Our office will be closed for the public holiday.',
  'Could you recommend a good restaurant nearby?',
  'The package was left with your neighbour.',
  'Thank you for your patience while we fix the problem.',
  'I am allergic to peanuts and shellfish.',
  'The museum is free on the first Sunday of the month.',
  'Your subscription renews automatically every year.',
] as const;

const FOREIGN = [
  ['French', 'Nous avons bien reçu votre commande et elle sera expédiée demain.'],
  ['Spanish', 'El plazo para presentar la solicitud termina el viernes.'],
  ['German', 'Bitte schalten Sie das Gerät vor der Reinigung aus.'],
  ['Italian', 'La riunione è stata rinviata alla prossima settimana.'],
  ['Portuguese', 'O hotel fica a cinco minutos a pé da praia.'],
  ['Dutch', 'De winkel is op zondag gesloten.'],
] as const;

export const TRANSLATION_TEMPLATES: PromptTemplate[] = [
  {
    name: 'phrase-into',
    build: (p) => single(`Translate into ${p.one(LANGUAGES)}: "${p.one(PHRASES)}"`),
  },
  {
    name: 'into-english',
    build: (p) => {
      const [lang, text] = p.one(FOREIGN);
      return single(`Translate this ${lang} sentence into English: "${text}"`);
    },
  },
  {
    name: 'formal-register',
    build: (p) => single(`Translate to formal ${p.one(LANGUAGES)}, suitable for a letter to a client: "${p.one(PHRASES)} ${p.one(PHRASES)}"`),
  },
  {
    name: 'product-description',
    build: (p) => {
      const product = p.one(PRODUCTS);
      return single(
        `Our ${product} is designed for everyday use, weighs under ${p.int(1, 9)} kg and comes with a ${p.int(1, 5)}-year warranty. Order before ${dateText(p)} for free delivery.`,
        `You are a professional translator. Translate the user's text into ${p.one(LANGUAGES)}, keeping numbers and units unchanged.`,
      );
    },
  },
  {
    name: 'several-languages',
    build: (p) => single(`Translate "${p.one(PHRASES)}" into ${p.some(LANGUAGES, 3).join(', ')}. Put each on its own line.`),
  },
  {
    name: 'ui-strings-json',
    build: (p) => ({
      messages: [
        system('Translate the values of the JSON object, keep the keys, and reply with JSON only.'),
        user(
          `Target language: ${p.one(LANGUAGES)}\n{"save": "Save changes", "cancel": "Cancel", "welcome": "Welcome back, ${p.one(PEOPLE).split(' ')[0]}!", "empty": "No ${p.one(['orders', 'messages', 'files'])} yet"}`,
        ),
      ],
      jsonMode: true,
    }),
  },
  {
    name: 'idiom',
    build: (p) =>
      single(
        `How would you translate the English idiom "${p.one(['break the ice', 'a piece of cake', 'under the weather', 'once in a blue moon', 'spill the beans'])}" into ${p.one(LANGUAGES)}? Give the closest natural equivalent, not a literal translation.`,
      ),
  },
  {
    name: 'correct-translation',
    build: (p) => {
      const [lang, text] = p.one(FOREIGN);
      return {
        messages: [
          user(`Translate into English: "${text}"`),
          assistant('Here is a rough translation: the message is about a schedule.'),
          user(`That's too vague. Translate the ${lang} sentence word for word, then give a fluent version.`),
        ],
      };
    },
  },
  {
    name: 'travel-paragraph',
    build: (p) =>
      single(
        `Translate this travel tip into ${p.one(LANGUAGES)}:\n\nWhen you visit ${p.one(CITIES)}, buy a day pass for public transport, start early to avoid the crowds, and try the local market near the old town. Most museums close on ${p.one(['Mondays', 'Tuesdays'])}.`,
      ),
  },
  {
    name: 'email-reply-translate',
    build: (p) =>
      single(
        `Translate my reply into ${p.one(LANGUAGES)} and keep it polite:\n\nDear ${p.one(PEOPLE)}, thank you for your message about ${p.one(TOPICS)}. ${p.one(PHRASES)} Best regards.`,
      ),
  },
  {
    name: 'subtitle-lines',
    build: (p) => {
      const lines = p.some(PHRASES, p.int(3, 5)).map((l, i) => `${i + 1}\n00:00:0${i},000 --> 00:00:0${i + 1},000\n${l}`);
      return single(`Translate these subtitles into ${p.one(LANGUAGES)}, keeping the numbering and timestamps:\n\n${lines.join('\n\n')}`);
    },
  },
  {
    name: 'back-translation',
    build: (p) =>
      single(`Translate "${p.one(PHRASES)}" into ${p.one(LANGUAGES)}, then translate your result back into English and point out any meaning that changed.`),
  },
];
