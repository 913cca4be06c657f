/**
 * In-memory alert evaluation, indexed by symbol: a tick looks up the alerts of its symbol only, so the cost of a
 * tick is the number of alerts on that symbol, not the total number of alerts.
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
      return { state: level(Math.abs(pct), t, true, t * RATIO_BAND), value: pct };
    }
    case 'RSI_ABOVE':
    case 'RSI_BELOW':
      if (o.rsi === undefined) return { state: 'UNKNOWN', value: null };
      return { state: level(o.rsi, t, alert.condition === 'RSI_ABOVE', RSI_BAND), value: o.rsi };
    case 'VOLUME_SPIKE': {
      if (o.volume === undefined || !o.averageVolume20) return { state: 'UNKNOWN', value: null };
      const ratio = o.volume / o.averageVolume20;
      return { state: level(ratio, t, true, t * RATIO_BAND), value: ratio };
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

export class AlertIndex {
  private readonly bySymbol = new Map<string, Map<string, CompiledAlert>>();
  private readonly byId = new Map<string, CompiledAlert>();
  /** Alert evaluations performed so far (a tick costs the alerts of its symbol). */
  evaluations = 0;

  get size(): number {
    return this.byId.size;
  }

  upsert(spec: AlertSpec, state: { armed?: boolean; lastFiredAt?: number | null } = {}): void {
    this.remove(spec.id);
    const compiled: CompiledAlert = { ...spec, armed: state.armed ?? true, lastFiredAt: state.lastFiredAt ?? null };
    let forSymbol = this.bySymbol.get(spec.symbol);
    if (!forSymbol) this.bySymbol.set(spec.symbol, (forSymbol = new Map()));
    forSymbol.set(spec.id, compiled);
    this.byId.set(spec.id, compiled);
  }

  remove(id: string): void {
    const existing = this.byId.get(id);
    if (!existing) return;
    this.byId.delete(id);
    const forSymbol = this.bySymbol.get(existing.symbol);
    forSymbol?.delete(id);
    if (forSymbol?.size === 0) this.bySymbol.delete(existing.symbol);
  }

  get(id: string): CompiledAlert | undefined {
    return this.byId.get(id);
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  forSymbol(symbol: string): CompiledAlert[] {
    return [...(this.bySymbol.get(symbol)?.values() ?? [])];
  }

  /**
   * Evaluates the alerts of one symbol. Returns the alerts that fire now; their local state is updated (disarmed,
   * lastFiredAt). A crossing inside the cooldown is swallowed (disarmed without firing).
   */
  observe(symbol: string, o: Observation, now = Date.now(), rearmed?: CompiledAlert[]): Firing[] {
    const forSymbol = this.bySymbol.get(symbol);
    if (!forSymbol) return [];
    const fired: Firing[] = [];
    for (const alert of forSymbol.values()) {
      this.evaluations += 1;
      const { state, value } = evaluate(alert, o);
      if (state === 'FALSE' && !alert.armed) {
        alert.armed = true;
        rearmed?.push(alert);
      }
      if (state !== 'TRUE' || !alert.armed) continue;
      alert.armed = false;
      if (alert.lastFiredAt !== null && now - alert.lastFiredAt < alert.cooldownSeconds * 1000) continue;
      alert.lastFiredAt = now;
      fired.push({ alert, value });
    }
    return fired;
  }
}
