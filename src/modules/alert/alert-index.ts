/**
 * In-memory alert evaluation, indexed by symbol and, within a symbol, by level: a tick looks up its symbol, then
 * for each level condition compares the value with the nearest level only, so it costs a few comparisons plus the
 * alerts that actually change state (fire or re-arm), not the number of alerts (bench/alerts.ts).
 *
 * Every condition evaluates to TRUE (fire if armed), FALSE (re-arm) or BAND (neither: the value sits in the
 * hysteresis band just inside the level, so noise around a level cannot fire it twice).
 */
export type AlertCondition =
  | 'PRICE_ABOVE'
  | 'PRICE_BELOW'
  | 'PERCENT_MOVE'
  | 'RSI_ABOVE'
  | 'RSI_BELOW'
  | 'VOLUME_SPIKE'
  | 'SCAN'
  | 'SCREENER_ENTER'
  | 'SCREENER_LEAVE'
  | 'SENTIMENT_SWING';

export const ALERT_CONDITIONS: readonly AlertCondition[] = [
  'PRICE_ABOVE',
  'PRICE_BELOW',
  'PERCENT_MOVE',
  'RSI_ABOVE',
  'RSI_BELOW',
  'VOLUME_SPIKE',
  'SCAN',
  'SCREENER_ENTER',
  'SCREENER_LEAVE',
  'SENTIMENT_SWING',
];

/** Conditions that need a numeric threshold. */
export const NEEDS_THRESHOLD: ReadonlySet<AlertCondition> = new Set([
  'PRICE_ABOVE',
  'PRICE_BELOW',
  'PERCENT_MOVE',
  'RSI_ABOVE',
  'RSI_BELOW',
  'VOLUME_SPIKE',
  'SENTIMENT_SWING',
]);

/** Relative band for price levels (0.5 %), absolute band for RSI points, relative band for % move and volume. */
export const PRICE_BAND = 0.005;
export const RSI_BAND = 2;
export const RATIO_BAND = 0.1;

export interface AlertSpec {
  id: string;
  userId: string;
  symbol: string;
  condition: AlertCondition;
  threshold: number | null;
  scanKind: string | null;
  screenerId: string | null;
  cooldownSeconds: number;
}

export interface CompiledAlert extends AlertSpec {
  armed: boolean;
  lastFiredAt: number | null;
}

/** What one event tells about a symbol; each field is absent when the event does not carry it. */
export interface Observation {
  price?: number;
  /** Session reference price (previous close or session open) for PERCENT_MOVE. */
  sessionReference?: number;
  volume?: number;
  averageVolume20?: number;
  rsi?: number;
  /** Scanner kinds this symbol appeared in, for one finished scan run. */
  scanKinds?: ReadonlySet<string>;
  /** Screener ids whose results contain the symbol (only screeners listed in screenersEvaluated count). */
  inScreeners?: ReadonlySet<string>;
  screenersEvaluated?: ReadonlySet<string>;
  sentimentScore?: number;
  previousSentimentScore?: number | null;
}

export interface Firing {
  alert: CompiledAlert;
  /** The observed value that fired it (price, %, RSI, volume ratio, sentiment delta; null for SCAN / screeners). */
  value: number | null;
}

type State = 'TRUE' | 'FALSE' | 'BAND' | 'UNKNOWN';

function level(value: number, threshold: number, above: boolean, band: number): State {
  if (above) return value >= threshold ? 'TRUE' : value < threshold - band ? 'FALSE' : 'BAND';
  return value <= threshold ? 'TRUE' : value > threshold + band ? 'FALSE' : 'BAND';
}

/** The state of one alert under one observation, and the value behind it. */
export function evaluate(alert: AlertSpec, o: Observation): { state: State; value: number | null } {
  const t = alert.threshold ?? 0;
  switch (alert.condition) {
    case 'PRICE_ABOVE':
    case 'PRICE_BELOW':
      if (o.price === undefined) return { state: 'UNKNOWN', value: null };
      return { state: level(o.price, t, alert.condition === 'PRICE_ABOVE', Math.abs(t) * PRICE_BAND), value: o.price };
    case 'PERCENT_MOVE': {
      if (o.price === undefined || !o.sessionReference) return { state: 'UNKNOWN', value: null };
      const pct = ((o.price - o.sessionReference) / o.sessionReference) * 100;
      return { state: level(Math.abs(pct), t, true, Math.abs(t) * RATIO_BAND), value: pct };
    }
    case 'RSI_ABOVE':
    case 'RSI_BELOW':
      if (o.rsi === undefined) return { state: 'UNKNOWN', value: null };
      return { state: level(o.rsi, t, alert.condition === 'RSI_ABOVE', RSI_BAND), value: o.rsi };
    case 'VOLUME_SPIKE': {
      if (o.volume === undefined || !o.averageVolume20) return { state: 'UNKNOWN', value: null };
      const ratio = o.volume / o.averageVolume20;
      return { state: level(ratio, t, true, Math.abs(t) * RATIO_BAND), value: ratio };
    }
    case 'SCAN':
      if (!o.scanKinds) return { state: 'UNKNOWN', value: null };
      return { state: o.scanKinds.has(alert.scanKind ?? '') ? 'TRUE' : 'FALSE', value: null };
    case 'SCREENER_ENTER':
    case 'SCREENER_LEAVE': {
      if (!o.inScreeners || !alert.screenerId || !o.screenersEvaluated?.has(alert.screenerId)) {
        return { state: 'UNKNOWN', value: null };
      }
      const inside = o.inScreeners.has(alert.screenerId);
      const fires = alert.condition === 'SCREENER_ENTER' ? inside : !inside;
      return { state: fires ? 'TRUE' : 'FALSE', value: null };
    }
    case 'SENTIMENT_SWING': {
      if (o.sentimentScore === undefined || o.previousSentimentScore == null) return { state: 'UNKNOWN', value: null };
      const delta = o.sentimentScore - o.previousSentimentScore;
      // Each update is its own swing: a swing fires, a calm update re-arms.
      return { state: Math.abs(delta) >= t ? 'TRUE' : 'FALSE', value: delta };
    }
  }
}

type LevelCondition = 'PRICE_ABOVE' | 'PRICE_BELOW' | 'PERCENT_MOVE' | 'RSI_ABOVE' | 'RSI_BELOW' | 'VOLUME_SPIKE';
const LEVEL_CONDITIONS: ReadonlySet<AlertCondition> = new Set<LevelCondition>(['PRICE_ABOVE', 'PRICE_BELOW', 'PERCENT_MOVE', 'RSI_ABOVE', 'RSI_BELOW', 'VOLUME_SPIKE']);

function band(condition: LevelCondition, threshold: number): number {
  if (condition === 'RSI_ABOVE' || condition === 'RSI_BELOW') return RSI_BAND;
  if (condition === 'PRICE_ABOVE' || condition === 'PRICE_BELOW') return Math.abs(threshold) * PRICE_BAND;
  return Math.abs(threshold) * RATIO_BAND;
}

/** -1 for the "below" conditions: their values and levels are negated so every bucket reads as "fires at or above". */
const sign = (condition: LevelCondition) => (condition === 'PRICE_BELOW' || condition === 'RSI_BELOW' ? -1 : 1);

/** The value a level condition compares, signed (NaN when the observation does not carry it: compares false). */
function compared(condition: LevelCondition, o: Observation): number {
  switch (condition) {
    case 'PRICE_ABOVE':
      return o.price ?? NaN;
    case 'PRICE_BELOW':
      return o.price === undefined ? NaN : -o.price;
    case 'PERCENT_MOVE':
      return o.price === undefined || !o.sessionReference ? NaN : Math.abs(reported(condition, o));
    case 'RSI_ABOVE':
      return o.rsi ?? NaN;
    case 'RSI_BELOW':
      return o.rsi === undefined ? NaN : -o.rsi;
    case 'VOLUME_SPIKE':
      return o.volume === undefined || !o.averageVolume20 ? NaN : o.volume / o.averageVolume20;
  }
}

/** The value a firing reports: the price, the signed % move, the RSI, the volume ratio. */
function reported(condition: LevelCondition, o: Observation): number {
  if (condition === 'PERCENT_MOVE') return ((o.price! - o.sessionReference!) / o.sessionReference!) * 100;
  if (condition === 'VOLUME_SPIKE') return o.volume! / o.averageVolume20!;
  return condition === 'RSI_ABOVE' || condition === 'RSI_BELOW' ? o.rsi! : o.price!;
}

/** A level alert in signed space: fires when the compared value reaches fireAt, re-arms when it drops below rearmBelow. */
interface LevelEntry {
  alert: CompiledAlert;
  fireAt: number;
  rearmBelow: number;
}

/**
 * The alerts of one (symbol, level condition). `armed` is sorted by fireAt descending and `disarmed` by rearmBelow
 * ascending, so the next alert to change state is always the last one: a tick pops while the last one qualifies.
 */
interface LevelBucket {
  condition: LevelCondition;
  armed: LevelEntry[];
  disarmed: LevelEntry[];
}

interface SymbolAlerts {
  levels: Map<LevelCondition, LevelBucket>;
  /** SCAN, screener and sentiment alerts: evaluated one by one, only by the rare events that carry their input. */
  others: Map<string, CompiledAlert>;
  size: number;
}

/** Inserts keeping `list` sorted by key (ascending, or descending when `descending`); ties go after their equals. */
function insertSorted(list: LevelEntry[], entry: LevelEntry, key: (e: LevelEntry) => number, descending: boolean): void {
  const k = key(entry);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const before = descending ? key(list[mid]!) >= k : key(list[mid]!) <= k;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, entry);
}
const byFireAt = (e: LevelEntry) => e.fireAt;
const byRearm = (e: LevelEntry) => e.rearmBelow;

function removeEntry(list: LevelEntry[], alert: CompiledAlert): boolean {
  const at = list.findIndex((e) => e.alert === alert);
  if (at < 0) return false;
  list.splice(at, 1);
  return true;
}

export class AlertIndex {
  private readonly bySymbol = new Map<string, SymbolAlerts>();
  private readonly byId = new Map<string, { alert: CompiledAlert; entry?: LevelEntry; bucket?: LevelBucket }>();
  private readonly byScreener = new Map<string, Map<string, CompiledAlert>>();
  /** Alerts examined so far: the ones that changed state, plus each evaluation of a SCAN, screener or sentiment alert. */
  evaluations = 0;

  get size(): number {
    return this.byId.size;
  }

  upsert(spec: AlertSpec, state: { armed?: boolean; lastFiredAt?: number | null } = {}): void {
    this.remove(spec.id);
    const alert: CompiledAlert = { ...spec, armed: state.armed ?? true, lastFiredAt: state.lastFiredAt ?? null };
    let forSymbol = this.bySymbol.get(spec.symbol);
    if (!forSymbol) this.bySymbol.set(spec.symbol, (forSymbol = { levels: new Map(), others: new Map(), size: 0 }));
    forSymbol.size += 1;
    if (LEVEL_CONDITIONS.has(spec.condition)) {
      const condition = spec.condition as LevelCondition;
      let bucket = forSymbol.levels.get(condition);
      if (!bucket) forSymbol.levels.set(condition, (bucket = { condition, armed: [], disarmed: [] }));
      const fireAt = sign(condition) * (spec.threshold ?? 0);
      const entry: LevelEntry = { alert, fireAt, rearmBelow: fireAt - band(condition, spec.threshold ?? 0) };
      if (alert.armed) insertSorted(bucket.armed, entry, byFireAt, true);
      else insertSorted(bucket.disarmed, entry, byRearm, false);
      this.byId.set(spec.id, { alert, entry, bucket });
      return;
    }
    forSymbol.others.set(spec.id, alert);
    this.byId.set(spec.id, { alert });
    if (spec.screenerId) {
      let forScreener = this.byScreener.get(spec.screenerId);
      if (!forScreener) this.byScreener.set(spec.screenerId, (forScreener = new Map()));
      forScreener.set(spec.id, alert);
    }
  }

  remove(id: string): void {
    const existing = this.byId.get(id);
    if (!existing) return;
    this.byId.delete(id);
    const { alert, bucket } = existing;
    const forSymbol = this.bySymbol.get(alert.symbol)!;
    forSymbol.size -= 1;
    if (bucket) {
      if (!removeEntry(bucket.armed, alert)) removeEntry(bucket.disarmed, alert);
      if (bucket.armed.length + bucket.disarmed.length === 0) forSymbol.levels.delete(bucket.condition);
    } else {
      forSymbol.others.delete(id);
      const forScreener = alert.screenerId ? this.byScreener.get(alert.screenerId) : undefined;
      forScreener?.delete(id);
      if (forScreener?.size === 0) this.byScreener.delete(alert.screenerId!);
    }
    if (forSymbol.size === 0) this.bySymbol.delete(alert.symbol);
  }

  get(id: string): CompiledAlert | undefined {
    return this.byId.get(id)?.alert;
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  forSymbol(symbol: string): CompiledAlert[] {
    const forSymbol = this.bySymbol.get(symbol);
    if (!forSymbol) return [];
    const levels = [...forSymbol.levels.values()].flatMap((b) => [...b.armed, ...b.disarmed].map((e) => e.alert));
    return [...levels, ...forSymbol.others.values()];
  }

  /** True when the symbol holds a VOLUME_SPIKE alert (a tick then needs the symbol's average volume). */
  watchesVolume(symbol: string): boolean {
    return this.bySymbol.get(symbol)?.levels.has('VOLUME_SPIKE') ?? false;
  }

  /** Ids of the alerts on one saved screener. */
  alertsOfScreener(screenerId: string): string[] {
    return [...(this.byScreener.get(screenerId)?.keys() ?? [])];
  }

  /** Screener id -> the symbols its SCREENER_ENTER / SCREENER_LEAVE alerts watch. */
  screeners(): Map<string, Set<string>> {
    return new Map([...this.byScreener].map(([id, alerts]) => [id, new Set([...alerts.values()].map((a) => a.symbol))]));
  }

  /**
   * Evaluates the alerts of one symbol. Returns the alerts that fire now; their local state is updated (disarmed,
   * lastFiredAt). A crossing inside the cooldown is swallowed (disarmed without firing).
   */
  observe(symbol: string, o: Observation, now = Date.now(), rearmed?: CompiledAlert[]): Firing[] {
    const forSymbol = this.bySymbol.get(symbol);
    if (!forSymbol) return [];
    const fired: Firing[] = [];
    for (const bucket of forSymbol.levels.values()) {
      const value = compared(bucket.condition, o);
      if (!Number.isNaN(value)) this.observeLevel(bucket, value, o, now, fired, rearmed);
    }
    if (forSymbol.others.size > 0 && (o.scanKinds || o.inScreeners || o.sentimentScore !== undefined)) {
      for (const alert of forSymbol.others.values()) {
        this.evaluations += 1;
        const { state, value } = evaluate(alert, o);
        if (state === 'FALSE' && !alert.armed) {
          alert.armed = true;
          rearmed?.push(alert);
        }
        if (state !== 'TRUE' || !alert.armed) continue;
        alert.armed = false;
        if (this.coolingDown(alert, now)) continue;
        alert.lastFiredAt = now;
        fired.push({ alert, value });
      }
    }
    return fired;
  }

  private observeLevel(bucket: LevelBucket, value: number, o: Observation, now: number, fired: Firing[], rearmed?: CompiledAlert[]): void {
    const { armed, disarmed } = bucket;
    while (disarmed.length > 0 && value < disarmed[disarmed.length - 1]!.rearmBelow) {
      const entry = disarmed.pop()!;
      this.evaluations += 1;
      entry.alert.armed = true;
      rearmed?.push(entry.alert);
      insertSorted(armed, entry, byFireAt, true);
    }
    while (armed.length > 0 && value >= armed[armed.length - 1]!.fireAt) {
      const entry = armed.pop()!;
      this.evaluations += 1;
      const { alert } = entry;
      alert.armed = false;
      insertSorted(disarmed, entry, byRearm, false);
      if (this.coolingDown(alert, now)) continue;
      alert.lastFiredAt = now;
      fired.push({ alert, value: reported(bucket.condition, o) });
    }
  }

  private coolingDown(alert: CompiledAlert, now: number): boolean {
    return alert.lastFiredAt !== null && now - alert.lastFiredAt < alert.cooldownSeconds * 1000;
  }
}
