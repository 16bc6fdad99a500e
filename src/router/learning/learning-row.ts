import type { TaskType } from '../../config/schema.ts';
import { DENSE_FEATURE_NAMES, readDenseValues } from '../analyze/dense-features.ts';
import { FNV_OFFSET, FNV_PRIME } from '../analyze/hash-mix.ts';
import type { PromptFeatures } from '../types.ts';

/**
 * What the router can learn from one answered request, without its text: the prompt's features as the
 * analyzer produced them (hashed n-gram buckets and values, dense feature values), the predictor's
 * per-prompt terms at decision time, the routed model and, once a quality signal lands, its score.
 */
export interface LearningRow {
  requestId: string;
  createdAtMs: number;
  model: string;
  taskType: TaskType;
  features: PromptFeatures;
  /** Predictor terms at decision time: difficulty b(x), discrimination a(x), P(model answers well). */
  difficulty: number;
  discrimination: number;
  predicted: number;
  routerVersion: string;
  /** The request ran an inference-time technique: its score is the technique's, not the plain model's. */
  technique: string | null;
  /** Chosen by exploration (Thompson sampling) rather than by the mean prediction. */
  explored: boolean;
  score: number | null;
  source: string | null;
  scoredAtMs: number | null;
}

/** Bytes of little-endian typed arrays as base64: a row's features stay a few KB of text in either store. */
export function bytesOf(view: ArrayBufferView): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

export function u32(base64: string): Uint32Array {
  const buf = Buffer.from(base64, 'base64');
  const out = new Uint32Array(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32LE(i * 4);
  return out;
}

export function f32(base64: string): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

interface EncodedFeatures {
  /** Which names the dense values follow (denseVocabularyId); rows written before it carry `dn` instead. */
  dk?: string;
  /** Dense names, in rows written before `dk`. */
  dn?: readonly string[];
  dv: string;
  hi: string;
  hv: string;
  ti?: string;
  tv?: string;
}

/** FNV-1a of the names, in order: the id a row stores instead of the names themselves (about 1 KB). */
export function denseVocabularyId(names: readonly string[]): string {
  let h = FNV_OFFSET;
  const text = names.join(',');
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return `d${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Every dense vocabulary rows have been written with, by id. When DENSE_FEATURE_NAMES changes, add the
 * old list here (its id is pinned in learning-row.test.ts), so stored rows keep decoding.
 */
const DENSE_VOCABULARIES = new Map<string, readonly string[]>([[denseVocabularyId(DENSE_FEATURE_NAMES), DENSE_FEATURE_NAMES]]);

/** `{"dk":"…","dv":"`: the same for every row, so it is built once. */
let densePrefix: string | undefined;
/** Scratch for the dense values: base64 copies them out, so one array serves every row. */
const denseScratch = new Float32Array(DENSE_FEATURE_NAMES.length);

/**
 * The JSON of EncodedFeatures, built by concatenation: it runs once per routed request (the learning
 * row), and base64 needs no JSON escaping. Same text as JSON.stringify of the object, key for key.
 */
export function encodeFeatures(features: PromptFeatures): string {
  const names = DENSE_FEATURE_NAMES as readonly string[];
  densePrefix ??= `{"dk":"${denseVocabularyId(names)}","dv":"`;
  readDenseValues(features.dense, names, denseScratch);
  let text = `${densePrefix}${bytesOf(denseScratch)}","hi":"${bytesOf(features.hashedIdx)}","hv":"${bytesOf(features.hashedVal)}"`;
  if (features.textIdx && features.textVal) text += `,"ti":"${bytesOf(features.textIdx)}","tv":"${bytesOf(features.textVal)}"`;
  return `${text}}`;
}

/** A stored row's features this gateway cannot read: not JSON, or a vocabulary id from a newer gateway. */
export class UndecodableFeaturesError extends Error {}

export function decodeFeatures(text: string): PromptFeatures {
  let e: EncodedFeatures;
  try {
    e = JSON.parse(text) as EncodedFeatures;
  } catch {
    throw new UndecodableFeaturesError('learning row: features are not JSON');
  }
  const names = e.dn ?? DENSE_VOCABULARIES.get(e.dk ?? '');
  if (!names) throw new UndecodableFeaturesError(`learning row: unknown dense feature vocabulary ${e.dk}`);
  const values = f32(e.dv);
  const dense: Record<string, number> = {};
  names.forEach((name, i) => (dense[name] = values[i] ?? 0));
  return {
    dense,
    hashedIdx: u32(e.hi),
    hashedVal: f32(e.hv),
    ...(e.ti && e.tv ? { textIdx: u32(e.ti), textVal: f32(e.tv) } : {}),
  };
}
