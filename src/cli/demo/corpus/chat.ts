import { CITIES, PEOPLE, PRODUCTS, TOPICS } from './fillers.ts';
import { assistant, single, system, user, type PromptTemplate } from './template.ts';

const GREETINGS = ['Hi!', 'Hey there', 'Good morning', 'Hello, quick one', 'Hiya'] as const;
const MOODS = ['a bit stressed', 'bored', 'excited', 'tired', 'curious'] as const;
const HOBBIES = ['chess', 'rock climbing', 'watercolour painting', 'running', 'learning the guitar', 'gardening', 'board games'] as const;

export const CHAT_TEMPLATES: PromptTemplate[] = [
  { name: 'greeting', build: (p) => single(`${p.one(GREETINGS)} I'm feeling ${p.one(MOODS)} today.`) },
  { name: 'hobby-smalltalk', build: (p) => single(`I just started ${p.one(HOBBIES)}. Any encouragement?`) },
  {
    name: 'weekend-plans',
    build: (p) => ({
      messages: [
        user(`${p.one(GREETINGS)} I'm in ${p.one(CITIES)} for the weekend.`),
        assistant('Nice! What kind of things do you enjoy doing when you travel?'),
        user(p.one(['Mostly food and walking around.', 'Museums, and I hate crowds.', 'Anything outdoors.', 'I have a toddler with me, so nothing too long.'])),
      ],
    }),
  },
  {
    name: 'persona-barista',
    build: (p) =>
      single(
        `${p.one(GREETINGS)} What would you recommend for someone who ${p.one(['does not like bitter coffee', 'wants something without caffeine', 'is ordering for a group', 'has never had an espresso'])}?`,
        'You are Juno, a friendly barista at a small café. Keep replies short and warm.',
      ),
  },
  {
    name: 'gift-idea',
    build: (p) => single(`My friend ${p.one(PEOPLE).split(' ')[0]} loves ${p.one(HOBBIES)}. What's a thoughtful gift under $${p.one([20, 40, 75])}?`),
  },
  {
    name: 'venting',
    build: (p) => single(`Ugh, my ${p.one(PRODUCTS)} broke again and I had a long day. Just needed to say that to someone.`),
  },
  {
    name: 'long-conversation',
    build: (p) => {
      const hobby = p.one(HOBBIES);
      return {
        messages: [
          system('You are a supportive conversational companion.'),
          user(`I've been thinking about picking up ${hobby}.`),
          assistant('That sounds like a great idea. What draws you to it?'),
          user(`I want something away from screens. Work is all ${p.one(TOPICS)} meetings.`),
          assistant('That makes sense. How much time could you realistically set aside each week?'),
          user(`Maybe ${p.int(2, 6)} hours. Is that enough to actually get better?`),
        ],
      };
    },
  },
  { name: 'opinion', build: (p) => single(`What do you think about ${p.one(TOPICS)}? Just chatting, no need for a formal answer.`) },
  {
    name: 'recommend-book',
    build: (p) =>
      single(
        `Can you suggest a novel for a ${p.one(['long flight', 'rainy weekend', 'beach holiday', 'book club'])}? I liked ${p.one(['mysteries', 'science fiction', 'historical fiction', 'funny memoirs'])} lately.`,
      ),
  },
  {
    name: 'thanks-follow-up',
    build: (p) => ({
      messages: [
        user(`Any tips for a first visit to ${p.one(CITIES)}?`),
        assistant('Walk the old town early, eat where the locals queue, and carry some cash for small shops.'),
        user(
          p.one(['Thanks, that helps! Anything to avoid?', 'Great. And what about getting there from the airport?', 'Love it. Is it safe to walk at night?']),
        ),
      ],
    }),
  },
  {
    name: 'motivation',
    build: (p) =>
      single(
        `I keep putting off ${p.one(['my tax return', 'going to the gym', 'cleaning the garage', 'calling my grandmother', 'updating my CV'])}. Give me a nudge?`,
      ),
  },
  {
    name: 'would-you-rather',
    build: (p) => {
      const [a, b] = p.some(CITIES, 2);
      return single(`Would you rather live in ${a} or ${b} for a year? Let's play, pick one!`);
    },
  },
  {
    name: 'persona-coach',
    build: (p) => ({
      messages: [
        system('You are an upbeat running coach texting with a client. Two or three sentences per reply.'),
        user(`Did my ${p.int(3, 12)} km today. Legs feel ${p.one(['heavy', 'great', 'sore', 'wobbly'])}.`),
      ],
    }),
  },
];
