// Charts drawn by Chart.js (its UMD build from the WebJar sets window.Chart).
const BLUE = '#0072B2'; // Okabe–Ito, distinguishable for colour-blind readers
const ORANGE = '#E69F00';

/** A murphy job's pass@1 after each turn (bars, with the 95 % interval in the tooltip) and tokens spent per turn (line). */
export function turnChart(canvas, repair) {
  if (!canvas || !window.Chart) return null;
  const turns = Object.keys(repair.passAt1ByIteration);
  return new window.Chart(canvas, {
    data: {
      labels: turns.map((t) => `turn ${t}`),
      datasets: [
        { type: 'bar', label: 'pass@1 after the turn (%)', data: turns.map((t) => repair.passAt1ByIteration[t] * 100), backgroundColor: BLUE, yAxisID: 'rate' },
        { type: 'line', label: 'tokens in the turn', data: turns.map((t) => repair.tokensByTurn[t]), borderColor: ORANGE, backgroundColor: ORANGE, pointStyle: 'rectRot', pointRadius: 6, yAxisID: 'tokens' },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        rate: { position: 'left', min: 0, max: 100, title: { display: true, text: 'pass@1 (%)' } },
        tokens: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'tokens' } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            afterLabel: (item) => {
              const ci = repair.passAt1ByIterationCi95?.[turns[item.dataIndex]];
              return item.dataset.yAxisID === 'rate' && ci ? `95 % interval ${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)} %` : '';
            },
          },
        },
      },
    },
  });
}

/** Differences b − a per k with their 95 % intervals (floating bars for the interval, points for the difference). */
export function differenceChart(canvas, byK) {
  if (!canvas || !window.Chart) return null;
  return new window.Chart(canvas, {
    data: {
      labels: byK.map((d) => `pass@${d.k}`),
      datasets: [
        { type: 'bar', label: '95 % interval of b − a (points)', data: byK.map((d) => [d.difference.low * 100, d.difference.high * 100]), backgroundColor: 'rgba(0,114,178,0.35)', borderColor: BLUE, borderWidth: 1 },
        { type: 'line', label: 'b − a (points)', data: byK.map((d) => d.difference.value * 100), borderColor: ORANGE, backgroundColor: ORANGE, showLine: false, pointStyle: 'rectRot', pointRadius: 7 },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, indexAxis: 'x', scales: { y: { title: { display: true, text: 'percentage points' } } } },
  });
}
