import type { Autoencoder } from './autoencoder.js';
import { parseConfig } from './config.js';
import { AeError, ConfigError, UnknownFamilyError } from './errors.js';
import { describeValues, VALUE_RANGES, type DataDescription, type ValueRange } from './data-description.js';
import type { DatasetProvider } from './dataset-provider.js';
import type { BuildContext, DataFacts, ModelFamily } from './family.js';
import type { AutoencoderPlugin } from './plugin.js';
import type { PluginCommand } from './plugin-command.js';
import { withSeededMathRandom } from './random.js';

/**
 * The table of autoencoder families that plugins register, in the spirit of
 * tfjs' kernel registry: plugin packages add families by name; core and the
 * command-line tool look them up without knowing any of them.
 *
 * @example
 * ```ts
 * import { FamilyRegistry } from '@aekit/core';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * const families = new FamilyRegistry(); // one of its own (a test); plugins and `ae` share `registry`
 * families.use(dense);
 * families.names(); // ['contractive', 'deep', 'dense', 'sparse']
 * const ae = families.create('dense', { latentDim: 16 }, { seed: 0, dataShape: [784] });
 * ae.latentShape; // [16]
 * ```
 */
export class FamilyRegistry {
  private readonly families = new Map<string, ModelFamily>();
  private readonly commandTable = new Map<string, PluginCommand>();
  private readonly datasetTable = new Map<string, DatasetProvider>();
  private readonly plugins = new Set<string>();
  private readonly pluginByFamily = new Map<string, AutoencoderPlugin>();

  /**
   * Adds a family. Registering the same object twice is a no-op; a different
   * family under a taken name is an error.
   *
   * @param family - The family to add under its `name`.
   */
  register(family: ModelFamily): void {
    if (!/^[a-z][a-z0-9-]*$/.test(family.name)) {
      throw new AeError('registry', `family name '${family.name}' must be lowercase letters, digits and dashes`);
    }
    const existing = this.families.get(family.name);
    if (existing === family) return;
    if (existing) throw new AeError('registry', `a family named '${family.name}' is already registered`);
    this.families.set(family.name, family);
  }

  /**
   * Registers every family and command of a plugin; idempotent per plugin name.
   *
   * @param plugin - The plugin whose families, commands and datasets are added.
   */
  use(plugin: AutoencoderPlugin): void {
    if (this.plugins.has(plugin.name)) return;
    for (const family of plugin.families) {
      this.register(family);
      this.pluginByFamily.set(family.name, plugin);
    }
    for (const command of plugin.commands ?? []) {
      if (this.commandTable.has(command.name)) {
        throw new AeError('registry', `command '${command.name}' of ${plugin.name} is already registered`);
      }
      this.commandTable.set(command.name, command);
    }
    for (const dataset of plugin.datasets ?? []) {
      if (this.datasetTable.has(dataset.name)) {
        throw new AeError('registry', `dataset '${dataset.name}' of ${plugin.name} is already registered`);
      }
      this.datasetTable.set(dataset.name, dataset);
    }
    this.plugins.add(plugin.name);
  }

  /**
   * Adds a dataset provider that no plugin brings, such as the MNIST the
   * `ae` tool supplies; idempotent for the same provider.
   *
   * @param provider - The provider; its name must be free.
   * @throws AeError when another provider has the name.
   */
  addDataset(provider: DatasetProvider): void {
    const known = this.datasetTable.get(provider.name);
    if (known && known !== provider) throw new AeError('registry', `dataset '${provider.name}' is already registered`);
    this.datasetTable.set(provider.name, provider);
  }

  /**
   * The dataset provider of that name, or an error listing the registered ones.
   *
   * @param name - Name of a dataset a plugin provides, such as `documents`.
   */
  dataset(name: string): DatasetProvider {
    const provider = this.datasetTable.get(name);
    if (!provider) {
      const known = [...this.datasetTable.keys()].sort().join(', ') || 'none';
      throw new AeError('unknown-dataset', `unknown dataset '${name}'; registered datasets: ${known} (the ae tool supplies mnist)`);
    }
    return provider;
  }

  /** Dataset providers added by plugins (and with {@link FamilyRegistry.addDataset}), sorted by name. */
  datasets(): DatasetProvider[] {
    return [...this.datasetTable.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * The family of that name, or an {@link UnknownFamilyError} listing the known ones.
   *
   * @param name - Family name, such as `dense`.
   */
  get(name: string): ModelFamily {
    const family = this.families.get(name);
    if (!family) throw new UnknownFamilyError(name, this.names());
    return family;
  }

  /**
   * True if a family of that name is registered.
   *
   * @param name - Family name, such as `dense`.
   */
  has(name: string): boolean {
    return this.families.has(name);
  }

  /** Registered family names, sorted. */
  names(): string[] {
    return [...this.families.keys()].sort();
  }

  /** Registered families, sorted by name. */
  list(): ModelFamily[] {
    return this.names().map((n) => this.families.get(n)!);
  }

  /** Commands added by plugins, sorted by name. */
  commands(): PluginCommand[] {
    return [...this.commandTable.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * The plugin that registered a family, if it came through {@link use}.
   *
   * @param family - Family name, such as `dense`.
   */
  pluginOf(family: string): AutoencoderPlugin | undefined {
    return this.pluginByFamily.get(family);
  }

  /** Names of the plugins in use. */
  pluginNames(): string[] {
    return [...this.plugins].sort();
  }

  /**
   * Validates a config against the family's schema (filling defaults) and
   * builds the autoencoder with seeded weight initialisation. With
   * `context.data` (a model about to train on described data) the family's
   * `configFor` first fills in what the data decides and refuses what
   * contradicts it. Settings that ask for more memory than can be allocated
   * (a `latentDim` of 10^10) are a {@link ConfigError}, not a crash.
   *
   * @param name - Family name.
   * @param config - Untrusted config; missing fields take the defaults.
   * @param context - Seed, data shape and, for training, the data's description.
   * @throws ConfigError naming the field of a bad config, or `data` for data the family cannot reconstruct.
   */
  create(name: string, config: unknown, context: BuildContext): Autoencoder {
    const family = this.get(name);
    const parsed = parseConfig(family.configSchema, context.data ? this.configForData(family, config, { ...context.data, dataShape: context.dataShape }) : config, name);
    try {
      return withSeededMathRandom(context.seed, () => family.create(parsed, context));
    } catch (error) {
      if (!isAllocationFailure(error)) throw error;
      throw new ConfigError(name, `these settings describe a model too large to allocate (${(error as Error).message}); check sizes such as latentDim`);
    }
  }

  /**
   * The config a family trains with on this data: its
   * {@link ModelFamily.configFor}, or the config as given. Data whose
   * values the family does not reconstruct ({@link ModelFamily.values}) is
   * refused in one line that names the registered families that take it.
   */
  private configForData(family: ModelFamily, config: unknown, data: DataFacts): unknown {
    if (!valueRanges(family).includes(data.values)) {
      const able = this.list().filter((f) => valueRanges(f).includes(data.values)).map((f) => f.name);
      throw refusal(family, data, able);
    }
    return family.configFor ? family.configFor((config ?? {}) as Record<string, unknown>, data) : config;
  }
}

/**
 * Typed arrays refuse sizes beyond what can be allocated with a RangeError;
 * the wasm backend's heap, limited to 4 GB, fails with an out-of-memory
 * abort or an out-of-bounds access while a model's weights are created.
 */
function isAllocationFailure(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  if (!(error instanceof Error)) return false;
  return /out of memory|allocation failed|Cannot enlarge memory|memory access out of bounds/i.test(error.message);
}

/** The ranges of values a family reconstructs: as it declares, else every range with a `configFor`, else [0, 1] only. */
function valueRanges(family: ModelFamily): readonly ValueRange[] {
  return family.values ?? (family.configFor ? VALUE_RANGES : ['unit-interval']);
}

/** The one-line refusal of data a family does not reconstruct, naming the families that do. */
function refusal(family: ModelFamily, data: DataDescription, able: string[]): ConfigError {
  const takes = valueRanges(family).map((range) => describeValues({ values: range })).join(' or ');
  return new ConfigError('data', `family '${family.name}' reconstructs ${takes} only, and this data has ${describeValues(data)}; families that take it: ${able.join(', ') || 'none registered'}`);
}

/**
 * The process-wide registry that plugins and the `ae` tool share.
 *
 * @example
 * ```ts
 * import { registry } from '@aekit/core';
 * import { plugin as dense } from '@aekit/models-dense';
 *
 * registry.use(dense); // its families: dense, sparse, deep, contractive
 * console.log(registry.list().map((family) => family.name));
 * const ae = registry.create('sparse', { latentDim: 32 }, { seed: 0, dataShape: [28, 28, 1] });
 * ae.model.summary();
 * ```
 */
export const registry = new FamilyRegistry();
