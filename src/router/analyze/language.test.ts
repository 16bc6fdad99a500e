import { describe, expect, it } from 'vitest';
import { guessLanguage } from './language.ts';

describe('guessLanguage', () => {
  it('tells common languages apart', () => {
    expect(guessLanguage('What is the capital of France and why is it important?')).toBe('en');
    expect(guessLanguage('¿Cuál es la capital de Francia y por qué es importante para los franceses?')).toBe('es');
    expect(guessLanguage('Quelle est la capitale de la France et pourquoi est-elle importante pour les gens?')).toBe('fr');
    expect(guessLanguage('Was ist die Hauptstadt von Deutschland und warum ist sie nicht klein?')).toBe('de');
    expect(guessLanguage('Какая столица Франции?')).toBe('ru');
    expect(guessLanguage('法国的首都是哪里？')).toBe('zh');
    expect(guessLanguage('フランスの首都はどこですか？')).toBe('ja');
    expect(guessLanguage('프랑스의 수도는 어디입니까?')).toBe('ko');
  });

  it('tells short French, Spanish and German turns from Portuguese and Italian', () => {
    expect(guessLanguage("Salut ! Ça va ? Je m'ennuie un peu ce soir.")).toBe('fr');
    expect(guessLanguage('Estoy un poco triste porque mi mejor amiga se muda. ¿Qué puedo hacer?')).toBe('es');
    expect(guessLanguage("Hallo! Wie geht's dir heute?")).toBe('de');
  });

  it('returns und when there are no letters', () => {
    expect(guessLanguage('12345 + 678 = ?')).toBe('und');
  });
});
