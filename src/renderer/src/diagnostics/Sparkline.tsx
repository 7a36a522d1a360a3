/** The SVG polyline points for values scaled into a width × height box (the top is `max`). */
export function sparklinePoints(values: number[], width: number, height: number, max: number): string {
  if (values.length === 0) return ''
  const step = values.length > 1 ? width / (values.length - 1) : 0
  const scale = max > 0 ? height / max : 0
  return values
    .map((value, index) => `${(index * step).toFixed(1)},${(height - Math.min(max, value) * scale).toFixed(1)}`)
    .join(' ')
}

export function Sparkline({ values, max, label }: { values: number[]; max: number; label: string }) {
  const width = 160
  const height = 36
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      <polyline
        points={sparklinePoints(values, width, height, max)}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      />
    </svg>
  )
}
