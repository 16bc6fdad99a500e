import { businessDocument, CITIES, PEOPLE, TEAMS } from './fillers.ts';
import { single, system, user, type PromptTemplate } from './template.ts';

export const REASONING_TEMPLATES: PromptTemplate[] = [
  {
    name: 'seating-puzzle',
    build: (p) => {
      const [a, b, c, d] = p.some(PEOPLE, 4).map((n) => n.split(' ')[0]);
      return single(
        `Logic puzzle: ${a}, ${b}, ${c} and ${d} sit in a row. ${a} is not at either end. ${b} sits immediately right of ${c}. ${d} is at the left end. Who sits where? Reason step by step.`,
      );
    },
  },
  {
    name: 'knights-knaves',
    build: (p) =>
      single(
        `On an island, knights always tell the truth and knaves always lie. ${p.one(['A says "We are both knaves."', 'A says "B is a knave." B says "A and I are the same kind."', 'A says "At least one of us is a knave."'])} What are A and B? Explain why.`,
      ),
  },
  {
    name: 'which-plan',
    build: (p) =>
      single(
        `Plan A costs $${p.int(10, 50)}/month plus $${p.int(1, 5)} per use. Plan B costs $${p.int(60, 120)}/month unlimited. At how many uses per month is B better? Explain why, step by step.`,
      ),
  },
  {
    name: 'root-cause',
    build: (p) =>
      single(
        `Our ${p.one(TEAMS)} dashboard shows sign-ups dropped ${p.int(20, 60)}% on ${p.one(['Tuesday', 'Saturday'])}, but traffic was normal and no deploy happened. What could explain it? Rank hypotheses and say how to test each.`,
      ),
  },
  {
    name: 'syllogism',
    build: (p) =>
      single(
        `All ${p.one(['couriers', 'auditors', 'pilots'])} at the firm passed the safety course. Some people who passed the safety course work nights. Does it follow that some ${p.one(['couriers', 'auditors', 'pilots'])} work nights? Explain why logically.`,
      ),
  },
  {
    name: 'scheduling',
    build: (p) => {
      const people = p.some(PEOPLE, 3).map((n) => n.split(' ')[0]);
      return single(
        `${people[0]} is free Mon–Wed mornings, ${people[1]} only Tue and Thu, ${people[2]} any afternoon except Wed. Find every slot of one hour when all three could meet, or explain why none exists. Deduce it step by step.`,
      );
    },
  },
  {
    name: 'argument-critique',
    build: (p) =>
      single(
        `Find the flaw in this argument: "Sales rose after we launched the campaign in ${p.one(CITIES)}, so the campaign caused the rise." What would we need to know to conclude it?`,
      ),
  },
  {
    name: 'estimate',
    build: (p) =>
      single(
        `Fermi estimate: how many ${p.one(['piano tuners', 'coffee cups', 'bicycles', 'dentists'])} are there in ${p.one(CITIES)}? Show your assumptions.`,
      ),
  },
  {
    name: 'river-crossing',
    build: (p) =>
      single(
        `A farmer must cross a river with a ${p.one(['wolf', 'fox', 'dog'])}, a goat and a cabbage. The boat carries the farmer and one item. The goat cannot be left alone with the cabbage or with the predator. Find the shortest sequence of crossings.`,
      ),
  },
  {
    name: 'decision-memo',
    build: (p) =>
      single(
        `Given these facts, should we expand to ${p.one(CITIES)} this year? Weigh the evidence and reach a conclusion.\n\n${businessDocument(p, p.int(2, 3))}`,
        'You are a careful analyst. Separate facts, assumptions and conclusions.',
      ),
  },
  {
    name: 'counterfactual',
    build: (p) =>
      single(
        `If every meeting at a ${p.int(50, 900)}-person company were cut from 60 to 45 minutes, what second-order effects would you expect? Think step by step.`,
      ),
  },
  {
    name: 'ordering-clues',
    build: (p) => {
      const [a, b, c] = p.some(['red', 'blue', 'green', 'yellow', 'white'], 3);
      return single(
        `Three boxes are ${a}, ${b} and ${c}. The ${a} box is heavier than the ${b} one. The ${c} box is lighter than the ${b} one. Which box is the heaviest, and what can we infer about the lightest?`,
      );
    },
  },
  {
    name: 'hidden-assumption',
    build: (p) => ({
      messages: [
        system('Think out loud before answering.'),
        user(
          `"${p.one(PEOPLE)} always takes the bus; today the bus was cancelled, so ${p.one(PEOPLE).split(' ')[0]} was late." What hidden assumptions does this statement rely on?`,
        ),
      ],
    }),
  },
];
