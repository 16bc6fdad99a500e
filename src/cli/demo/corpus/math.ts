import { amountUsd, CITIES, PRODUCTS } from './fillers.ts';
import { assistant, functionTool, single, system, user, type PromptTemplate } from './template.ts';

export const MATH_TEMPLATES: PromptTemplate[] = [
  { name: 'arithmetic', build: (p) => single(`What is ${p.int(120, 9_999)} × ${p.int(12, 999)} + ${p.int(1, 5_000)}?`) },
  { name: 'percent-change', build: (p) => single(`A price went from ${amountUsd(p)} to ${amountUsd(p)}. What is the percentage change?`) },
  {
    name: 'linear-equation',
    build: (p) => single(`Solve for x: ${p.int(2, 12)}x + ${p.int(1, 40)} = ${p.int(41, 200)}. Show the steps.`),
  },
  {
    name: 'word-problem-travel',
    build: (p) =>
      single(
        `A train leaves ${p.one(CITIES)} at ${p.int(60, 140)} km/h and another leaves ${p.one(CITIES)} ${p.int(100, 600)} km away at ${p.int(60, 140)} km/h, heading toward each other. How many minutes until they meet?`,
      ),
  },
  {
    name: 'compound-interest',
    build: (p) =>
      single(
        `If I invest $${p.int(1, 50) * 1_000} at ${p.int(2, 9)}% interest compounded ${p.one(['monthly', 'yearly', 'quarterly'])}, how much will I have after ${p.int(3, 30)} years?`,
      ),
  },
  {
    name: 'probability',
    build: (p) =>
      single(
        `Probability question: I draw ${p.int(2, 4)} cards from a standard deck without replacement. What is the probability that all of them are ${p.one(['hearts', 'aces or kings', 'red', 'face cards'])}?`,
      ),
  },
  {
    name: 'derivative',
    build: (p) => single(`Compute the derivative of f(x) = ${p.int(2, 9)}x^${p.int(2, 5)} − ${p.int(1, 9)}x + ${p.one(['sin(x)', 'e^x', 'ln(x)', '1/x'])}.`),
  },
  {
    name: 'integral',
    build: (p) => single(`Evaluate the integral of ${p.one(['x·e^x', 'x^2·ln(x)', 'sin^2(x)', '1/(1+x^2)'])} from 0 to ${p.int(1, 3)}. Explain the method.`),
  },
  {
    name: 'unit-conversion',
    build: (p) =>
      single(
        `How many ${p.one(['litres are in', 'kilometres are in', 'kilograms are in'])} ${p.int(3, 500)} ${p.one(['US gallons', 'miles', 'pounds'])}? Calculate precisely.`,
      ),
  },
  {
    name: 'shopping-split',
    build: (p) =>
      single(
        `${p.int(3, 8)} friends split a bill of ${amountUsd(p)} plus a ${p.int(10, 22)}% tip. One friend only had the ${p.one(['salad', 'soup', 'coffee'])} for $${p.int(6, 18)}. How much does each of the others pay?`,
      ),
  },
  {
    name: 'statistics',
    build: (p) => {
      const xs = Array.from({ length: p.int(6, 12) }, () => p.int(1, 99));
      return single(`Calculate the mean, median and standard deviation of: ${xs.join(', ')}.`);
    },
  },
  {
    name: 'check-my-work',
    build: (p) => {
      const a = p.int(11, 99);
      const b = p.int(11, 99);
      return {
        messages: [
          user(`What is ${a} × ${b}?`),
          assistant(`${a} × ${b} = ${a * b + p.one([-10, 10, 100])}.`),
          user('Are you sure? Please compute it again step by step.'),
        ],
      };
    },
  },
  {
    name: 'calculator-tool',
    build: (p) => ({
      messages: [
        system('Use the calculator tool for any arithmetic beyond two digits.'),
        user(
          `If a ${p.one(PRODUCTS)} costs ${amountUsd(p)} and the sales tax is ${p.int(5, 25)}.${p.int(0, 9)}%, what is the total for ${p.int(2, 40)} of them?`,
        ),
      ],
      tools: [functionTool('calculate', 'Evaluate an arithmetic expression.', { expression: { type: 'string' } }, ['expression'])],
    }),
  },
  {
    name: 'sequence',
    build: (p) => {
      const start = p.int(1, 9);
      const step = p.int(2, 7);
      const seq = Array.from({ length: 5 }, (_, i) => start + step * i * i);
      return single(`What are the next two numbers in the sequence ${seq.join(', ')}, and what is the rule?`);
    },
  },
];
