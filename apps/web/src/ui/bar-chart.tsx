const COLORS = ['#2f5d8a', '#3f7cad', '#2e7d5b', '#9a5b13', '#6a4c93', '#8a2f4d'];

/**
 * Horizontal bars with their labels and formatted values, drawn in SVG (no chart library: a few
 * hundred bytes). `label` is what a screen reader announces; the figures are also in a table next
 * to every chart, so nothing is only in the picture.
 */
export function BarChart({ label, bars }: { label: string; bars: { label: string; value: number; text: string }[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <figure>
      <svg role="img" aria-label={label} viewBox={`0 0 600 ${bars.length * 36 + 6}`} class="bars">
        {bars.map((b, i) => (
          <g key={i} transform={`translate(0 ${i * 36})`}>
            <text x="0" y="20" class="bar-label">
              {b.label}
            </text>
            <rect x="210" y="6" height="20" width={Math.max(1, (260 * Math.max(0, b.value)) / max)} fill={COLORS[i % COLORS.length]} />
            <text x="480" y="20" class="bar-value">
              {b.text}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
