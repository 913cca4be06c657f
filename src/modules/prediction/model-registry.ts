// The model registry: one `model` row per trained version (metrics per horizon against naive, parameters, where its
// state lies) and the state itself as JSON under DATA_DIR/models. Saving a version makes it the ACTIVE one of its name.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StockClient } from '../../db/database.js';
import type { ModelMetrics } from './backtest.js';
import type { FittedModel, ModelType } from './forecaster.js';
import { forecasterNamed } from './models/index.js';

export interface ModelRow {
  id: number;
  name: string;
  version: string;
  type: string;
  status: 'ACTIVE' | 'DEPRECATED';
  parameters: Record<string, unknown>;
  metrics: StoredMetrics;
  artifactPath: string;
  trainedAt: Date;
}

/** ModelMetrics as stored: NaN (a horizon without scored forecasts) becomes null; the naive baseline says it is one. */
export type StoredMetrics = Partial<ModelMetrics> & { baseline?: boolean; note?: string };

export interface NewModelVersion {
  name: string;
  type: ModelType;
  /** The forecaster's own version; the registry version adds the training time. */
  forecasterVersion: string;
  parameters: Record<string, unknown>;
  metrics: ModelMetrics;
  state: unknown;
  trainedAt: Date;
}

/** `holt-damped` from "Holt damped"; safe in a file name. */
export function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** `1.20261202T183600Z`: the forecaster's version and the training instant, so every training run is a version. */
export function registryVersion(forecasterVersion: string, trainedAt: Date): string {
  return `${forecasterVersion}.${trainedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

function storedMetrics(type: ModelType, metrics: ModelMetrics): StoredMetrics {
  const clean = JSON.parse(JSON.stringify(metrics, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))) as StoredMetrics;
  if (type !== 'NAIVE') return clean;
  return { ...clean, baseline: true, beatsNaive: false, note: 'The random-walk baseline (skill 0 by definition): shown only when no model beats it.' };
}

/** Deprecated versions per name whose artifacts are kept on disk (to roll back to by hand). */
export const KEPT_DEPRECATED = 2;

export class ModelRegistry {
  /** Fitted models by artifact path: an artifact never changes once written (a new training run is a new file). */
  private readonly fitted = new Map<string, FittedModel>();

  constructor(
    private readonly db: StockClient,
    private readonly dataDir: string,
  ) {}

  get directory(): string {
    return join(this.dataDir, 'models');
  }

  /** Writes the artifact (a temporary file renamed into place), upserts the row ACTIVE and deprecates older versions of the name. */
  async save(model: NewModelVersion): Promise<ModelRow> {
    const version = registryVersion(model.forecasterVersion, model.trainedAt);
    const artifactPath = join(this.directory, `${slugOf(model.name)}-${version}.json`);
    await mkdir(this.directory, { recursive: true });
    const temporary = `${artifactPath}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(model.state));
    await rename(temporary, artifactPath);
    const fields = {
      type: model.type,
      parameters: model.parameters as object,
      metrics: storedMetrics(model.type, model.metrics) as object,
      artifactPath,
      status: 'ACTIVE' as const,
      trainedAt: model.trainedAt,
    };
    const [row] = await this.db.$transaction([
      this.db.model.upsert({ where: { name_version: { name: model.name, version } }, create: { name: model.name, version, ...fields }, update: fields }),
      this.db.model.updateMany({ where: { name: model.name, status: 'ACTIVE', NOT: { version } }, data: { status: 'DEPRECATED' } }),
    ]);
    await this.pruneArtifacts(model.name);
    return row as unknown as ModelRow;
  }

  /** Deletes the artifact files of a name's DEPRECATED versions but the latest KEPT_DEPRECATED (their rows stay, as history). */
  private async pruneArtifacts(name: string): Promise<void> {
    const old = await this.db.model.findMany({ where: { name, status: 'DEPRECATED' }, orderBy: { trainedAt: 'desc' }, skip: KEPT_DEPRECATED, select: { artifactPath: true } });
    for (const { artifactPath } of old) {
      this.fitted.delete(artifactPath);
      await rm(artifactPath, { force: true });
    }
  }

  async active(): Promise<ModelRow[]> {
    return (await this.db.model.findMany({ where: { status: 'ACTIVE' }, orderBy: { id: 'asc' } })) as unknown as ModelRow[];
  }

  /** Every version, newest first. */
  async all(): Promise<ModelRow[]> {
    return (await this.db.model.findMany({ orderBy: [{ trainedAt: 'desc' }, { id: 'desc' }] })) as unknown as ModelRow[];
  }

  /** The fitted model of a row, read back from its artifact (null when this process cannot read the file). */
  async load(row: Pick<ModelRow, 'name' | 'artifactPath'>): Promise<FittedModel | null> {
    const cached = this.fitted.get(row.artifactPath);
    if (cached) return cached;
    const forecaster = forecasterNamed(row.name);
    if (!forecaster) return null;
    let text: string;
    try {
      text = await readFile(row.artifactPath, 'utf8');
    } catch {
      return null;
    }
    const fitted = forecaster.load(JSON.parse(text));
    this.fitted.set(row.artifactPath, fitted);
    return fitted;
  }
}
