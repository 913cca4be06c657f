// The parameterised primitives against worked examples published by StockCharts
// ChartSchool: the price data and published columns of its spreadsheets
// (cs-movavg.xls, cs-rsi.xls, cs-atr.xls, cs-bbands.xls), linked from the
// indicator pages named above each block. The numbers were taken as transcribed
// in public open-source test suites (the two-decimal RSI, SMA and EMA columns
// are also printed on the pages themselves); every published value is met to the
// precision it is published with, which cross-checks the transcription too.
// Wilder's 1978 book examples are not used: their exact figures could not be verified.
import { describe, expect, it } from 'vitest';
import { atr, bollinger, ema, obv, rsi, sma } from './series.js';

/** Asserts nulls exactly where the source leaves cells blank, and |got - published| < tolerance elsewhere. */
function expectPublished(got: (number | null)[], published: (number | null)[], tolerance: number) {
  expect(got.map((v) => v === null)).toEqual(published.map((v) => v === null));
  published.forEach((value, i) => {
    if (value !== null) expect(Math.abs(got[i]! - value), `index ${i}: ${got[i]} vs ${value}`).toBeLessThan(tolerance);
  });
}

const blanks = (n: number) => new Array<null>(n).fill(null);

describe('SMA and EMA: ChartSchool "Moving Averages - Simple and Exponential" (cs-movavg.xls), 10 days', () => {
  const closes = [
    22.2734, 22.194, 22.0847, 22.1741, 22.184, 22.1344, 22.2337, 22.4323, 22.2436, 22.2933, 22.1542, 22.3926, 22.3816,
    22.6109, 23.3558, 24.0519, 23.753, 23.8324, 23.9516, 23.6338, 23.8225, 23.8722, 23.6537, 23.187, 23.0976, 23.326,
    22.6805, 23.0976, 22.4025, 22.1725,
  ];

  it('SMA(10) matches the published column (two decimals)', () => {
    const published = [
      ...blanks(9), 22.22, 22.21, 22.23, 22.26, 22.31, 22.42, 22.61, 22.77, 22.91, 23.08, 23.21, 23.38, 23.53, 23.65,
      23.71, 23.69, 23.61, 23.51, 23.43, 23.28, 23.13,
    ];
    expectPublished(sma(closes, 10), published, 0.005);
  });

  it('EMA(10), seeded with the SMA of the first 10 closes, matches the spreadsheet (eight decimals)', () => {
    const published = [
      ...blanks(9), 22.22475, 22.21192273, 22.24477314, 22.26965075, 22.33169607, 22.51789678, 22.79680646,
      22.97065983, 23.12733986, 23.27720534, 23.34204073, 23.42939696, 23.50990661, 23.53605086, 23.47258707,
      23.4044076, 23.39015167, 23.2611241, 23.23139244, 23.08068473, 22.91556023,
    ];
    expectPublished(ema(closes, 10), published, 5e-9);
  });
});

describe('RSI: ChartSchool "Relative Strength Index (RSI)" (cs-rsi.xls), 14 days, Wilder smoothing', () => {
  const closes = [
    44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.614,
    46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548,
    44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
  ];

  it('matches the page (two decimals) and the spreadsheet (four decimals)', () => {
    const page = [
      ...blanks(14), 70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46,
      41.87, 45.46, 37.3, 33.08, 37.77,
    ];
    const sheet = [
      ...blanks(14), 70.5328, 66.3186, 66.5498, 69.4063, 66.3552, 57.9749, 62.9296, 63.2571, 56.0593, 62.3771, 54.7076,
      50.4228, 39.9898, 41.4605, 41.8689, 45.4632, 37.304, 33.0795, 37.773,
    ];
    const got = rsi(closes, 14);
    expectPublished(got, page, 0.005);
    expectPublished(got, sheet, 5e-5);
  });

  it('reads 100 with no losses, 0 with no gains, 50 on a flat window', () => {
    const rising = Array.from({ length: 20 }, (_, i) => 10 + i);
    expect(rsi(rising, 14).at(-1)).toBe(100);
    expect(rsi([...rising].reverse(), 14).at(-1)).toBe(0);
    expect(rsi(new Array(20).fill(10), 14).at(-1)).toBe(50);
  });
});

describe('ATR: ChartSchool "Average True Range (ATR)" (cs-atr.xls), 14 days', () => {
  const highs = [
    48.7, 48.72, 48.9, 48.87, 48.82, 49.05, 49.2, 49.35, 49.92, 50.19, 50.12, 49.66, 49.88, 50.19, 50.36, 50.57, 50.65,
    50.43, 49.63, 50.33, 50.29, 50.17, 49.32, 48.5, 48.3201, 46.8, 47.8, 48.39, 48.66, 48.79,
  ];
  const lows = [
    47.79, 48.14, 48.39, 48.37, 48.24, 48.635, 48.94, 48.86, 49.5, 49.87, 49.2, 48.9, 49.43, 49.725, 49.26, 50.09, 50.3,
    49.21, 48.98, 49.61, 49.2, 49.43, 48.08, 47.64, 41.55, 44.2833, 47.31, 47.2, 47.9, 47.7301,
  ];
  const closes = [
    48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13, 49.53, 49.5, 49.75, 50.03, 50.31, 50.52, 50.41,
    49.34, 49.37, 50.23, 49.2375, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85,
  ];

  it('takes the first true range as high - low and averages the first 14 before smoothing (six decimals)', () => {
    const published = [
      ...blanks(13), 0.555, 0.593929, 0.585791, 0.568949, 0.615452, 0.61792, 0.642354, 0.674329, 0.69277, 0.775429,
      0.78147, 1.209229, 1.30262, 1.38029, 1.366698, 1.336219, 1.316482,
    ];
    expectPublished(atr(highs, lows, closes, 14), published, 5e-7);
  });
});

describe('Bollinger Bands: ChartSchool "Bollinger Bands" (cs-bbands.xls), 20 days, 2 standard deviations', () => {
  const closes = [
    86.1557, 89.0867, 88.7829, 90.3228, 89.0671, 91.1453, 89.4397, 89.175, 86.9302, 87.6752, 86.9596, 89.4299, 89.3221,
    88.7241, 87.4497, 87.2634, 89.4985, 87.9006, 89.126, 90.7043, 92.9001, 92.9784, 91.8021, 92.6647, 92.6843, 92.3021,
    92.7725, 92.5373, 92.949, 93.2039, 91.0669, 89.8318, 89.7435, 90.3994, 90.7387, 88.0177, 88.0867, 88.8439, 90.7781,
    90.5416, 91.3894, 90.65,
  ];

  it('uses the population standard deviation (six decimals)', () => {
    const middle = [
      ...blanks(19), 88.70794, 89.04516, 89.239745, 89.390705, 89.5078, 89.68866, 89.7465, 89.91314, 90.081255,
      90.382195, 90.65863, 90.863995, 90.88409, 90.90516, 90.988925, 91.153375, 91.19109, 91.1205, 91.167665, 91.25027,
      91.242135, 91.1666, 91.05018,
    ];
    const upper = [
      ...blanks(19), 91.291862, 91.949268, 92.612595, 92.9342, 93.31195, 93.72845, 93.899592, 94.266255, 94.565096,
      94.786912, 95.043001, 94.907605, 94.902912, 94.89532, 94.861013, 94.673629, 94.556593, 94.678752, 94.575786,
      94.534271, 94.532306, 94.369251, 94.148503,
    ];
    const lower = [
      ...blanks(19), 86.124018, 86.141052, 85.866895, 85.84721, 85.70365, 85.64887, 85.593408, 85.560025, 85.597414,
      85.977478, 86.274259, 86.820385, 86.865268, 86.915, 87.116837, 87.633121, 87.825587, 87.562248, 87.759544,
      87.966269, 87.951964, 87.963949, 87.951857,
    ];
    const bands = bollinger(closes, 20, 2);
    expectPublished(bands.middle, middle, 5e-7);
    expectPublished(bands.upper, upper, 5e-7);
    expectPublished(bands.lower, lower, 5e-7);
  });
});

describe('OBV', () => {
  it('adds volume on an up close, subtracts it on a down close, starting from the first volume (as TA-Lib TA_OBV)', () => {
    // Worked by hand from the definition: 100; +200; unchanged; -400; +500.
    expect(obv([10, 11, 11, 10.5, 12], [100, 200, 300, 400, 500])).toEqual([100, 300, 300, -100, 400]);
  });
});
