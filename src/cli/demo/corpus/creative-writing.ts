import { CITIES, COMPANIES, PEOPLE, PRODUCTS, TOPICS } from './fillers.ts';
import { assistant, single, system, user, type PromptTemplate } from './template.ts';

const THEMES = [
  'a lighthouse keeper',
  'the last day of summer',
  'a robot learning to cook',
  'a lost umbrella',
  'a city that never sleeps',
  'an old map',
  'the first snow',
] as const;
const STYLES = ['playful', 'melancholic', 'hopeful', 'mysterious', 'absurd'] as const;

export const CREATIVE_WRITING_TEMPLATES: PromptTemplate[] = [
  { name: 'haiku', build: (p) => single(`Write a haiku about ${p.one(THEMES)}.`) },
  {
    name: 'short-story',
    build: (p) => single(`Write a ${p.one(STYLES)} short story (about ${p.one([150, 300, 500])} words) about ${p.one(THEMES)} set in ${p.one(CITIES)}.`),
  },
  { name: 'limerick', build: (p) => single(`Write a limerick about a ${p.one(PRODUCTS)} with a mind of its own.`) },
  { name: 'slogan', build: (p) => single(`Write five slogan options for ${p.one(COMPANIES)}'s new ${p.one(PRODUCTS)}.`) },
  {
    name: 'poem-in-style',
    build: (p) =>
      single(
        `Write a ${p.one(STYLES)} poem about ${p.one(TOPICS)} in ${p.one(['free verse', 'rhyming couplets', 'three quatrains'])}.`,
        'You are a poet with a light touch. No titles.',
      ),
  },
  {
    name: 'story-continue',
    build: (p) => ({
      messages: [
        user(`Start a story about ${p.one(THEMES)}.`),
        assistant(`The fog came in early that evening, and ${p.one(PEOPLE).split(' ')[0]} noticed the light on the hill was flickering.`),
        user(p.one(['Continue, and add a twist.', 'Keep going, but make it funny.', 'Continue from the point of view of a cat.'])),
      ],
    }),
  },
  {
    name: 'product-description',
    build: (p) =>
      single(
        `Write a vivid product description for a ${p.one(STYLES)} ${p.one(PRODUCTS)} aimed at ${p.one(['students', 'new parents', 'retirees', 'remote workers'])}.`,
      ),
  },
  {
    name: 'dialogue-scene',
    build: (p) => {
      const [a, b] = p.some(PEOPLE, 2).map((n) => n.split(' ')[0]);
      return single(
        `Write a short scene of dialogue between ${a} and ${b}, who meet again after ${p.int(2, 20)} years at a ${p.one(['train station', 'wedding', 'hardware store', 'ferry'])}.`,
      );
    },
  },
  {
    name: 'toast',
    build: (p) =>
      single(
        `Write a two-minute toast for my ${p.one(['sister', 'best friend', 'colleague', 'grandfather'])}'s ${p.one(['wedding', 'retirement', '40th birthday', 'graduation'])}. Mention ${p.one(['sailing', 'terrible puns', 'their dog', 'a road trip to ' + p.one(CITIES)])}.`,
      ),
  },
  {
    name: 'song-lyrics',
    build: (p) => single(`Write lyrics for a chorus and one verse of a ${p.one(['folk', 'pop', 'country', 'synthwave'])} song about ${p.one(THEMES)}.`),
  },
  {
    name: 'fable',
    build: (p) =>
      single(
        `Write a fable with animals that teaches a lesson about ${p.one(['patience', 'sharing', 'honesty', 'asking for help', 'listening'])}. End with the moral.`,
      ),
  },
  {
    name: 'world-building',
    build: (p) =>
      single(
        `Describe a fictional city built around ${p.one(TOPICS)}: its districts, a local custom and a festival.`,
        'You are a fantasy author. Be concrete and sensory; avoid clichés.',
      ),
  },
  {
    name: 'rewrite-tone',
    build: (p) => ({
      messages: [
        system('You rewrite text creatively while keeping the facts.'),
        user(
          `Rewrite this notice as a ${p.one(STYLES)} short poem: "The ${p.one(['kitchen', 'lift', 'car park', 'printer'])} on floor ${p.int(2, 9)} is closed until ${p.one(['Friday', 'further notice', 'next month'])}."`,
        ),
      ],
    }),
  },
];
