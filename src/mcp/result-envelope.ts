import { z } from 'zod';

/** Every tool's structured result starts with the window it covered, the rows it saw and what was missing. */
export const ResultEnvelope = z.looseObject({
  window: z.object({ from: z.string(), to: z.string() }),
  sample_size: z.number().int().nonnegative(),
  data_gaps: z.array(z.string()),
});
