import type { GatewayConfig, ModelConfig, ProviderConfig } from '../config/schema.ts';
import type { UpstreamTarget } from '../providers/types.ts';

/** The configured models resolved against their providers and API keys; rebuilt on reload. */
export class Catalog {
  private readonly targets = new Map<string, UpstreamTarget>();
  readonly models: readonly ModelConfig[];
  readonly virtualModels: ReadonlySet<string>;

  constructor(
    readonly config: GatewayConfig,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const providers = new Map<string, ProviderConfig>(config.providers.map((p) => [p.id, p]));
    for (const model of config.models) {
      const provider = providers.get(model.provider);
      // check-references guarantees the provider exists.
      if (!provider) continue;
      const apiKey = provider.api_key_env ? env[provider.api_key_env] : undefined;
      this.targets.set(model.id, { model, provider, apiKey });
    }
    this.models = config.models;
    this.virtualModels = new Set(Object.keys(config.routing.virtual_models));
  }

  target(modelId: string): UpstreamTarget | undefined {
    return this.targets.get(modelId);
  }

  isVirtual(modelId: string): boolean {
    return this.virtualModels.has(modelId);
  }

  /** The model followed by its configured fallbacks, each once. */
  withFallbacks(modelId: string): UpstreamTarget[] {
    const first = this.targets.get(modelId);
    if (!first) return [];
    const out = [first];
    for (const id of first.model.fallbacks) {
      const t = this.targets.get(id);
      // A fallback without its API key could only fail.
      if (t && !out.includes(t) && this.missingKeyEnv(id) === undefined) out.push(t);
    }
    return out;
  }

  /**
   * The environment variable a model's provider names for its API key when it is not set: the model
   * stays listed (marked unavailable) and requests for it get 503 naming the variable.
   */
  missingKeyEnv(modelId: string): string | undefined {
    const t = this.targets.get(modelId);
    const env = t?.provider.api_key_env;
    return t && env && !t.apiKey ? env : undefined;
  }

  /** Each unset API key variable with the models that need it (startup lists each once). */
  missingKeyEnvs(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const m of this.models) {
      const env = this.missingKeyEnv(m.id);
      if (env) out.set(env, [...(out.get(env) ?? []), m.id]);
    }
    return out;
  }

  /** Providers whose API key variable is named but not set: they cannot be called. */
  providersMissingKeys(env: NodeJS.ProcessEnv = process.env): string[] {
    return this.config.providers.filter((p) => p.api_key_env && !env[p.api_key_env]).map((p) => p.id);
  }
}
